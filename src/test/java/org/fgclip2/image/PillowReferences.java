package org.fgclip2.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.fgclip2.app.config.AppConfig;

/** The Pillow reference files made by {@code src/test/resources/pillow/generate.py}. */
final class PillowReferences {

    static final Path PILLOW = Paths.get("src/test/resources/pillow");
    /** Reads reference PNGs: RGB 8-bit PNG decoding is exact (checked by ImageDecoderTest). */
    private static final ImageDecoder PLAIN = new ImageDecoder(new AppConfig(Map.of()).imageLimits(), false);

    private PillowReferences() {
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage png(Path file) {
        return PLAIN.decode(bytes(file));
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short description of where two images differ, for assertion messages. */
    static String firstDifference(RgbImage actual, RgbImage expected) {
        if (actual.width() != expected.width() || actual.height() != expected.height()) {
            return "size " + actual.width() + "x" + actual.height() + " instead of "
                    + expected.width() + "x" + expected.height();
        }
        int count = 0;
        int first = -1;
        for (int i = 0; i < actual.rgb().length; i++) {
            if (actual.rgb()[i] != expected.rgb()[i]) {
                count++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (count == 0) {
            return "identical";
        }
        int pixel = first / 3;
        return count + " samples differ, first at x=" + pixel % actual.width() + " y=" + pixel / actual.width()
                + " channel " + first % 3 + ": " + (actual.rgb()[first] & 0xFF) + " instead of "
                + (expected.rgb()[first] & 0xFF);
    }

    static double meanAbsDifference(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return (double) sum / a.rgb().length;
    }
}
