package org.fgclip2.app.run;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.ExitCodes;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.app.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the labelling application against a Kafka cluster until stopped (SIGTERM / Ctrl-C). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the labelling topology against a Kafka cluster and a schema registry.",
                "Settings come from --config (properties or YAML) and FGCLIP2_* environment variables."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties or YAML file with settings.")
    Path config;

    @Option(names = "--print-config", description = "Print the effective settings and exit.")
    boolean printConfig;

    @Option(names = "--list-settings", description = "List every setting with its default and exit.")
    boolean listSettings;

    @Override
    public Integer call() throws Exception {
        if (listSettings) {
            System.out.print(Settings.markdownTable());
            return 0;
        }
        AppConfig appConfig = AppConfig.load(config, System.getenv());
        if (printConfig) {
            appConfig.validate();
            appConfig.effective().forEach((k, v) -> System.out.println(k + "=" + v));
            return 0;
        }
        LabelingApp app = LabelingApp.start(appConfig);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "fgclip2-shutdown"));
        app.awaitStop();
        if (app.failure().isPresent()) {
            System.err.println("error: " + app.failure().get());
            return ExitCodes.INTERNAL;
        }
        return 0;
    }
}
