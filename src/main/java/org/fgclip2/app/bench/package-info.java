/**
 * The benchmarks: {@code bench} (the model alone: batch sizes, patches, text walks, native memory) and
 * {@code bench-pipeline} (the whole topology on a local broker, with an image server of its own).
 */
package org.fgclip2.app.bench;
