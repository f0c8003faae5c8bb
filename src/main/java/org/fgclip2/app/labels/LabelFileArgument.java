package org.fgclip2.app.labels;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The label file of {@code labels load} and {@code labels check}, with the label set it is read into. */
final class LabelFileArgument {

    @Parameters(paramLabel = "FILE", description = "Label file: .yaml, .yml or .csv, UTF-8.")
    Path file;

    @Option(names = "--label-set", paramLabel = "NAME",
            description = "Label set of every label, whatever the file says (default: the file's, else 'default').")
    String labelSet;

    /** Reads and checks the file; every problem at once in a {@link LabelFileException}. */
    LabelFile read() {
        return LabelFile.read(file, labelSet);
    }
}
