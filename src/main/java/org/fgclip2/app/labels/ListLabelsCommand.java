package org.fgclip2.app.labels;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fgclip2.avro.LabelDefinition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what the label-definitions topic holds, in the YAML label file format. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Read the label-definitions topic to its end and print the current labels as YAML label"
                + " files, one document per label set.",
                "With --label-set the output is one file that 'labels load' takes back as it is."})
final class ListLabelsCommand implements Callable<Integer> {

    @Option(names = "--label-set", paramLabel = "NAME", description = "Only this label set.")
    String labelSet;

    @Mixin
    ConnectionOptions connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LabelDefinitionsTopic topic = new LabelDefinitionsTopic(connection.appConfig());
        CurrentLabels current = topic.read();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> sets = labelSet != null ? List.of(labelSet) : new ArrayList<>(current.labelSets());
        if (sets.isEmpty()) {
            err.println("no labels in " + topic.name());
        }
        for (int i = 0; i < sets.size(); i++) {
            if (i > 0) {
                out.println("---");
            }
            List<LabelDefinition> labels = new ArrayList<>(current.inSet(sets.get(i)).values());
            out.print(YamlLabels.write(sets.get(i), labels));
        }
        current.unreadable().forEach((id, why) ->
                err.println("warning: the value of '" + id + "' in " + topic.name() + " cannot be read: " + why));
        out.flush();
        return 0;
    }
}
