/**
 * The labelling runtime and the {@code run} command: {@link org.fgclip2.app.run.LabelingApp} (one instance of the
 * topology with its model, fetcher and HTTP server), the start-up checks it makes before Streams starts
 * ({@link org.fgclip2.app.run.Preflight}: brokers, registry, topics, record limits, state folder) and its operations
 * server (health, metrics, queries).
 */
package org.fgclip2.app.run;
