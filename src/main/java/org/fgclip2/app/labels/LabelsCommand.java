package org.fgclip2.app.labels;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code labels load|list|check|calibrate}: label management without code. */
@Command(name = "labels", mixinStandardHelpOptions = true,
        description = {"Manage the labels images are scored against: load a YAML or CSV file into the compacted"
                + " label-definitions topic, list what the topic holds, check a file offline, or calibrate its"
                + " thresholds on images whose truth is known.",
                "File formats and semantics: docs/labels.md."},
        subcommands = {LoadLabelsCommand.class, ListLabelsCommand.class, CheckLabelsCommand.class,
                CalibrateLabelsCommand.class, CommandLine.HelpCommand.class})
public final class LabelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: load, list, check or calibrate");
    }
}
