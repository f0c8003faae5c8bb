/**
 * The {@code dev} command: a complete local playground (broker, schema registry, labelling app, sample labels and
 * pictures) that prints the labels as they arrive.
 */
package org.fgclip2.app.dev;
