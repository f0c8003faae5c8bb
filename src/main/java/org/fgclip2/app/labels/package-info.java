/**
 * The {@code labels} command: label files (YAML, CSV) read and checked with every problem listed, the plan of what
 * a load changes, and the compacted label-definitions topic it reads and writes transactionally.
 */
package org.fgclip2.app.labels;
