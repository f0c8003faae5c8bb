package org.fgclip2.app.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.model.FgClip2Config;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.model.checkpoint.TensorDType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a random-weight checkpoint in the published folder layout: tests and demos without the real weights. */
@Command(name = "make-tiny-model", mixinStandardHelpOptions = true,
        description = {"Write a random-weight FG-CLIP 2 checkpoint folder (config.json, model.safetensors,"
                + " tokenizer.json, tokenizer_config.json, preprocessor_config.json).",
                "Its labels mean nothing; it computes the same function as a real checkpoint of that shape."})
public final class MakeTinyModelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder to create (must not exist or be empty).")
    Path dir;

    @Option(names = "--arch", defaultValue = "tiny", paramLabel = "tiny|base|large|so400m",
            description = "Architecture. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--weights-dtype", defaultValue = "f32", paramLabel = "f32|f16|bf16",
            description = "Storage dtype of model.safetensors. Default: ${DEFAULT-VALUE}.")
    String weightsDtype;

    @Option(names = "--diff-config", description = "Write config.json without the keys equal to the defaults,"
            + " as save_pretrained does.")
    boolean diffConfig;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(dir) && (!Files.isDirectory(dir) || Files.list(dir).findAny().isPresent())) {
            throw new UserInputException(dir + " exists and is not an empty folder");
        }
        FgClip2Config config = ModelPresets.get(arch);
        TensorDType dtype = switch (weightsDtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> TensorDType.F32;
            case "f16" -> TensorDType.F16;
            case "bf16" -> TensorDType.BF16;
            default -> throw new UserInputException("--weights-dtype must be f32, f16 or bf16, got " + weightsDtype);
        };
        RandomCheckpoint.write(dir, config, new RandomCheckpoint.Options(seed, dtype, diffConfig));
        System.err.printf("wrote a random %s checkpoint (%s weights) to %s%n", arch, dtype, dir.toAbsolutePath());
        return 0;
    }
}
