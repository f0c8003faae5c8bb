package org.fgclip2.app;

import org.fgclip2.app.bench.BenchCommand;
import org.fgclip2.app.bench.PipelineBenchCommand;
import org.fgclip2.app.dev.DevCommand;
import org.fgclip2.app.labels.LabelsCommand;
import org.fgclip2.app.run.RunCommand;
import org.fgclip2.app.tools.InspectCommand;
import org.fgclip2.app.tools.MakeTinyModelCommand;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.inference.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code java -jar fgclip2-streams.jar <command>}: the command-line entry point. */
@Command(name = "fgclip2-streams",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Real-time image labelling with FG-CLIP 2 on Kafka Streams.",
        subcommands = {
                DevCommand.class,
                RunCommand.class,
                LabelsCommand.class,
                InspectCommand.class,
                BenchCommand.class,
                PipelineBenchCommand.class,
                MakeTinyModelCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before any DJL class loads: nothing may reach the network unless the user asks for a hub download.
        Engines.forceOffline();
        // Before any java.net.http use (hub download): lets the image fetcher pin connections to checked addresses.
        ImageFetcher.prepareJvm();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 internal error, 2 bad input). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new CliErrors());
        cli.setParameterExceptionHandler(CliErrors::onBadParameters);
        cli.setDefaultValueProvider(new SettingsDefaults(System.getenv()));
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
