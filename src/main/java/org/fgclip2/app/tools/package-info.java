/**
 * Model tools that need no Kafka: {@code inspect} (scores, dense maps and heatmaps of one image as JSON) and
 * {@code make-tiny-model} (a random-weight checkpoint for tests and demos).
 */
package org.fgclip2.app.tools;
