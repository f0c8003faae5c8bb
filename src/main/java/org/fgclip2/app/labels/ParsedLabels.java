package org.fgclip2.app.labels;

import java.util.List;

/**
 * What a file format read from a label file: the rows as written and the problems it found reading them.
 *
 * @param labelSet the file's label set, null when it names none
 * @param defaultThreshold threshold of the rows that have none, null when the file sets none
 */
record ParsedLabels(String labelSet, Float defaultThreshold, List<LabelRow> rows, List<LabelFileProblem> problems) {

    static ParsedLabels failed(String problem) {
        return new ParsedLabels(null, null, List.of(), List.of(new LabelFileProblem(0, problem)));
    }
}
