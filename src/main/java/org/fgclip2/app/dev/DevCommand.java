package org.fgclip2.app.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.ExitCodes;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.localkafka.BrokerClasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The README's main command: a complete local playground, from broker to printed labels, in one process. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Start a local playground on 127.0.0.1: a Kafka broker (KRaft), a schema registry, the",
                "labelling app with a bilingual sample label set, and sample pictures; print their labels as they",
                "arrive. Other clients can produce to fgclip2.images meanwhile. Ctrl-C stops everything."})
public final class DevCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image-root", paramLabel = "DIR", defaultValue = ".",
            description = "file: URIs may point under this folder. Default: the current directory.")
    Path imageRoot;

    @Option(names = "--heatmap-dir", paramLabel = "DIR",
            description = "Keep heatmap PNGs here (default: a temporary folder removed on exit).")
    Path heatmapDir;

    @Option(names = "--no-samples", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Skip feeding the sample pictures.")
    boolean samples;

    @Option(names = "--registry-jar", paramLabel = "FILE",
            description = "The schema registry jar (default: fgclip2-schema-registry.jar beside this jar).")
    Path registryJar;

    @Override
    public Integer call() throws Exception {
        BrokerClasses.require("dev");
        if (!Files.isDirectory(imageRoot)) {
            throw new UserInputException("--image-root " + imageRoot + " is not a folder");
        }
        Playground playground = Playground.start(new Playground.Choices(modelOptions.model(),
                modelOptions.device().toString(), modelOptions.precision().name(), modelOptions.threads(), imageRoot,
                heatmapDir, samples, registryJar), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(playground::close, "fgclip2-dev-stop"));
        playground.awaitStop();
        return playground.failure().isPresent() ? ExitCodes.INTERNAL : 0;
    }
}
