package org.fgclip2.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.PillowResize;
import org.fgclip2.image.RgbImage;
import org.fgclip2.testing.TestImages;

/**
 * Rough timings of the image path for a 1920×1080 JPEG at the 1024 budget: decode, resize, patchify. Not a test;
 * run by hand: {@code java -cp target/classes:target/test-classes:<deps> org.fgclip2.preprocess.PreprocessTiming}.
 */
public final class PreprocessTiming {

    private static final int RUNS = 30;

    public static void main(String[] args) throws IOException {
        byte[] jpeg = photoLikeJpeg(1920, 1080);
        ImageDecoder decoder = TestImages.decoder();
        NaflexImageProcessor processor = new NaflexImageProcessor(ImageProcessorConfig.defaults());
        RgbImage image = decoder.decode(jpeg);
        int budget = processor.dynamicBudget(image.width(), image.height());
        PatchGrid grid = processor.targetGrid(image.width(), image.height(), budget);
        RgbImage resized = PillowResize.resize(image, grid.width() * 16, grid.height() * 16);

        System.out.printf("%d-byte JPEG %dx%d, budget %d -> %dx%d patches%n", jpeg.length, image.width(),
                image.height(), budget, grid.height(), grid.width());
        System.out.printf("decode   %6.2f ms%n", medianMillis(() -> decoder.decode(jpeg)));
        System.out.printf("resize   %6.2f ms%n", medianMillis(
                () -> PillowResize.resize(image, grid.width() * 16, grid.height() * 16)));
        // the resized image already has the target size, so this is normalisation + patch layout only
        System.out.printf("patchify %6.2f ms%n", medianMillis(() -> processor.preprocess(resized, budget)));
        System.out.printf("total    %6.2f ms%n", medianMillis(() -> processor.preprocess(decoder.decode(jpeg))));
    }

    private static double medianMillis(Runnable task) {
        double[] times = new double[RUNS];
        for (int i = 0; i < RUNS * 2; i++) { // first half warms the JIT up
            long start = System.nanoTime();
            task.run();
            if (i >= RUNS) {
                times[i - RUNS] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }

    /** Smooth colour waves plus noise, so the JPEG has a realistic size and entropy. */
    private static byte[] photoLikeJpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = clamp(128 + 100 * Math.sin(x / 97.0 + y / 53.0) + random.nextGaussian() * 12);
                int g = clamp(128 + 100 * Math.cos(x / 31.0 - y / 71.0) + random.nextGaussian() * 12);
                int b = clamp(128 + 80 * Math.sin((x + y) / 19.0) + random.nextGaussian() * 12);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
