package org.fgclip2.app.labels;

/**
 * One thing wrong with a label file.
 *
 * @param position where in the file, to report problems in file order: 0 for the file as a whole, else the line
 *     (CSV) or label number (YAML)
 * @param message says where and what, e.g. {@code line 4 (id 'cat'): threshold 1.5 is outside [0, 1]}
 */
record LabelFileProblem(int position, String message) {
}
