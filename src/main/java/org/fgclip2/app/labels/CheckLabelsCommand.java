package org.fgclip2.app.labels;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks a label file without connecting to anything, e.g. in CI before a load. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a label file offline: print every problem (exit 2) or how many labels it defines.",
                "The checks are those 'labels load' makes before it sends anything."})
final class CheckLabelsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Label file: .yaml, .yml or .csv, UTF-8.")
    Path file;

    @Option(names = "--label-set", paramLabel = "NAME",
            description = "Label set of every label, whatever the file says (default: the file's, else 'default').")
    String labelSet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LabelFile labels = LabelFile.read(file, labelSet);
        spec.commandLine().getOut().println(file + ": " + labels.labels().size() + " labels for label set '"
                + labels.labelSet() + "', no problems");
        return 0;
    }
}
