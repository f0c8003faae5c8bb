package org.fgclip2.app.labels;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.fgclip2.app.config.AppConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Makes the label-definitions topic hold what a label file says, sending only what differs. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load a label file (YAML or CSV) into the label-definitions topic.",
                "The file is checked first: with any problem, every problem is printed and nothing is sent (exit 2).",
                "Labels are compared with what the topic holds; only added and changed ones are sent, in one"
                        + " transaction, so loading the same file again changes nothing.",
                "The last line counts them: added N, changed N, unchanged N, deleted N."})
final class LoadLabelsCommand implements Callable<Integer> {

    @Mixin
    LabelFileArgument labelFile;

    @Option(names = "--prune",
            description = "Also delete (tombstone) the labels of this label set that the file does not list;"
                    + " other label sets are never touched.")
    boolean prune;

    @Option(names = "--dry-run", description = "Print what would be added, changed and deleted; send nothing.")
    boolean dryRun;

    @Mixin
    ConnectionOptions connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LabelFile labels = labelFile.read();
        AppConfig config = connection.appConfig();
        LabelDefinitionsTopic topic = new LabelDefinitionsTopic(config);
        LabelPlan plan = LabelPlan.of(labels, topic.read(), prune);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!dryRun && topic.apply(plan)) {
            err.println("created topic " + topic.name() + " (compacted)");
        }
        for (LabelPlan.Change c : plan.toSend()) {
            out.println(switch (c.kind()) {
                case ADDED -> "added   " + c.labelId();
                case CHANGED -> "changed " + c.labelId() + " (" + c.detail() + ")";
                case DELETED -> "deleted " + c.labelId();
                case UNCHANGED -> throw new IllegalStateException("unchanged labels are not sent");
            });
        }
        if (!plan.kept().isEmpty()) {
            err.println("kept " + plan.kept().size() + " labels of set '" + plan.labelSet() + "' that the file does"
                    + " not list (--prune deletes them): " + abbreviated(plan.kept()));
        }
        if (!plan.unreadable().isEmpty()) {
            err.println("warning: left " + plan.unreadable().size() + " unreadable values in " + topic.name()
                    + " as they are (their label set is unknown): " + abbreviated(plan.unreadable()));
        }
        String where = "label set '" + plan.labelSet() + "' in " + topic.name();
        out.println(dryRun ? "dry run, nothing sent; " + where + " would get: " + plan.counts()
                : where + ": " + plan.counts());
        return 0;
    }

    private static String abbreviated(List<String> ids) {
        int shown = Math.min(ids.size(), 10);
        return String.join(", ", ids.subList(0, shown)) + (ids.size() > shown ? ", ..." : "");
    }
}
