package org.fgclip2.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.fgclip2.hub.ModelLocator;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.model.Precision;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --device}, {@code --dtype}, {@code --threads}: shared by every command that runs the model.
 * Their defaults are those of the settings they stand for, given by the command line's default value provider.
 */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR|HUB_ID",
            description = "Checkpoint folder, or a Hugging Face hub id[@revision] (downloaded once into the standard"
                    + " cache). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N|auto", converter = DeviceConverter.class,
            description = "Where the model runs; auto = GPU 0 when the engine sees one, else CPU."
                    + " Default: ${DEFAULT-VALUE}.")
    DeviceSpec device;

    @Option(names = "--dtype", paramLabel = "f32|f16", converter = PrecisionConverter.class,
            description = "Compute precision. f32 matches the official outputs; f16 halves memory"
                    + " (bf16 is not available: it aborts DJL's PyTorch engine). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N",
            description = "Intra-op CPU threads of the engine (default: all cores).")
    Integer threads;

    public String model() {
        return model;
    }

    public DeviceSpec device() {
        return device;
    }

    public Precision precision() {
        return precision;
    }

    /** @return null = all cores */
    public Integer threads() {
        return threads;
    }

    public FgClip2Inference load() throws IOException {
        return load(model);
    }

    /** Loads another checkpoint than {@code --model} (a generated one) with the chosen device, dtype and threads. */
    public FgClip2Inference load(String model) throws IOException {
        if (threads != null) {
            if (threads < 1) {
                throw new UserInputException("--threads must be at least 1");
            }
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path folder = ModelLocator.fromEnvironment().resolve(model);
        return FgClip2Inference.load(folder, model, InferenceOptions.on(device, precision));
    }

    static final class DeviceConverter implements picocli.CommandLine.ITypeConverter<DeviceSpec> {
        @Override
        public DeviceSpec convert(String value) {
            return DeviceSpec.parse(value);
        }
    }

    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.parse(value);
        }
    }
}
