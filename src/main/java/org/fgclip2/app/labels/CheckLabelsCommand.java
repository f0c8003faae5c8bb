package org.fgclip2.app.labels;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks a label file without connecting to anything, e.g. in CI before a load. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a label file offline: print every problem (exit 2) or how many labels it defines.",
                "The checks are those 'labels load' makes before it sends anything."})
final class CheckLabelsCommand implements Callable<Integer> {

    @Mixin
    LabelFileArgument labelFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LabelFile labels = labelFile.read();
        spec.commandLine().getOut().println(labelFile.file + ": " + labels.labels().size() + " labels for label set '"
                + labels.labelSet() + "', no problems");
        return 0;
    }
}
