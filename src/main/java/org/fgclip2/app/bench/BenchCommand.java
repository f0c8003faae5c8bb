package org.fgclip2.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.FileTrees;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.ImageBatchEncoding;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.model.TextWalk;
import org.fgclip2.preprocess.PatchGrid;
import org.fgclip2.preprocess.PatchedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Model throughput: image tower images/s and text tower texts/s at several batch shapes, and peak RSS. With
 * {@code --arch} it first writes a random-weight checkpoint of that architecture, so any size can be measured
 * without the real weights (the compute is the same).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure image-tower and text-tower throughput (median of timed iterations) and peak RSS.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--arch", paramLabel = "tiny|base|large|so400m",
            description = "Benchmark a random-weight checkpoint of this architecture instead of --model.")
    String arch;

    @Option(names = "--image-cases", split = ",", defaultValue = "1x256,8x256,32x256,8x576,8x1024",
            paramLabel = "BxP", description = "Image batches as batch x patches. Default: ${DEFAULT-VALUE}.")
    List<String> imageCases;

    @Option(names = "--text-cases", split = ",", defaultValue = "1,32,128", paramLabel = "B",
            description = "Caption batch sizes (short walk, 64 tokens). Default: ${DEFAULT-VALUE}.")
    List<Integer> textCases;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations per case. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed iterations per case. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--soak-batches", defaultValue = "0", paramLabel = "N",
            description = "After the cases, run N mixed batches (images of three shapes, dense maps, captions of every "
                    + "walk) and print RSS along the way: native memory must not grow. Default: ${DEFAULT-VALUE}.")
    int soakBatches;

    @Override
    public Integer call() throws Exception {
        Path generated = null;
        if (arch != null) {
            generated = Files.createTempDirectory("fgclip2-bench-" + arch);
            System.err.printf("writing a random %s checkpoint to %s ...%n", arch, generated);
            RandomCheckpoint.write(generated, ModelPresets.get(arch), RandomCheckpoint.Options.DEFAULT);
        }
        try {
            long start = System.nanoTime();
            try (FgClip2Inference inference = generated != null ? modelOptions.load(generated.toString())
                    : modelOptions.load()) {
                double loadSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("model %s on %s (%s), %d threads, loaded in %.2f s, RSS %d MiB%n",
                        inference.info().id(), inference.info().device(), inference.info().precision(),
                        Runtime.getRuntime().availableProcessors(), loadSeconds, ProcessMemory.rssMiB());
                System.out.println();
                System.out.println("| tower | batch | patches/tokens | median s/batch | items/s |");
                System.out.println("|---|---:|---:|---:|---:|");
                for (String c : imageCases) {
                    benchImages(inference, c);
                }
                for (int batch : textCases) {
                    benchTexts(inference, batch);
                }
                System.out.println();
                System.out.printf("peak RSS %d MiB%n", ProcessMemory.peakRssMiB());
                if (soakBatches > 0) {
                    soak(inference);
                }
            }
        } finally {
            if (generated != null) {
                FileTrees.delete(generated);
            }
        }
        return 0;
    }

    private void benchImages(FgClip2Inference inference, String spec) {
        String[] parts = spec.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new UserInputException("image case '" + spec + "' must look like 8x256 (batch x patches)");
        }
        int batch = Integer.parseInt(parts[0].trim());
        int patches = Integer.parseInt(parts[1].trim());
        PatchGrid grid = squareGrid(patches);
        int patchDim = inference.info().config().vision().patchInputSize();
        List<PatchedImage> images = randomImages(grid, batch, patchDim, new Random(batch * 31L + patches));
        double median = median(() -> {
            try (ImageBatchEncoding ignored = inference.encodeImages(images)) {
                return;
            }
        });
        System.out.printf("| image | %d | %d | %.4f | %.2f |%n", batch, grid.patchCount(), median, batch / median);
    }

    private void benchTexts(FgClip2Inference inference, int batch) {
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            captions.add("a photo of a cat number " + i + " sitting on a red box next to a small dog");
        }
        double median = median(() -> inference.embedTexts(captions, TextWalk.SHORT));
        int tokens = TextWalk.SHORT.tokenLength(inference.info().config().text());
        System.out.printf("| text | %d | %d | %.4f | %.2f |%n", batch, tokens, median, batch / median);
    }

    private void soak(FgClip2Inference inference) {
        int patchDim = inference.info().config().vision().patchInputSize();
        List<List<PatchedImage>> batches = new ArrayList<>();
        Random random = new Random(11);
        for (PatchGrid grid : List.of(new PatchGrid(8, 16), new PatchGrid(16, 16), new PatchGrid(19, 30))) {
            batches.add(randomImages(grid, 3, patchDim, random));
        }
        System.out.println();
        System.out.println("| soak batches | RSS MiB |");
        System.out.println("|---:|---:|");
        int report = Math.max(1, soakBatches / 10);
        for (int i = 1; i <= soakBatches; i++) {
            try (ImageBatchEncoding encoding = inference.encodeImages(batches.get(i % batches.size()))) {
                encoding.denseMaps(i % 3);
            }
            inference.embedTexts(List.of("a cat " + i, "一只猫"), TextWalk.values()[i % TextWalk.values().length]);
            if (i % report == 0 || i == 1) {
                System.out.printf("| %d | %d |%n", i, ProcessMemory.rssMiB());
            }
        }
    }

    /** Patched images of one grid with uniform random values in [-1, 1), as normalised pixels are. */
    private static List<PatchedImage> randomImages(PatchGrid grid, int count, int patchDim, Random random) {
        List<PatchedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] values = new float[grid.patchCount() * patchDim];
            for (int k = 0; k < values.length; k++) {
                values[k] = random.nextFloat() * 2 - 1;
            }
            images.add(new PatchedImage(grid, patchDim, values, grid.width() * 16, grid.height() * 16));
        }
        return images;
    }

    private double median(Runnable step) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] seconds = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
    }

    private static PatchGrid squareGrid(int patches) {
        int side = (int) Math.round(Math.sqrt(patches));
        if (side * side != patches) {
            throw new UserInputException("patch count " + patches + " must be a square (e.g. 256, 576, 1024)");
        }
        return new PatchGrid(side, side);
    }
}
