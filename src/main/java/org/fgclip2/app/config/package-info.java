/**
 * Typed settings of the labelling application: every setting with its default and documentation
 * ({@link org.fgclip2.app.config.Settings}), read from a file and {@code FGCLIP2_*} variables into an
 * {@link org.fgclip2.app.config.AppConfig} that hands each part of the application its Kafka, registry and
 * topology settings.
 */
package org.fgclip2.app.config;
