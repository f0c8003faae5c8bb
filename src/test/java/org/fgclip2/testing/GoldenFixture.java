package org.fgclip2.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fgclip2.model.checkpoint.SafetensorsFile;

/**
 * A checkpoint folder with reference outputs computed by the official Python code ({@code goldens.json} and
 * {@code goldens.safetensors} beside the model files).
 *
 * <p>The public tiny fixture is bundled under {@code src/test/resources/fixtures}. Further fixtures of the same
 * layout are picked up from {@code ../shared/fixtures/*} next to the checkout and from the folders listed in the
 * environment variable {@code FGCLIP2_GOLDEN_DIRS} (path-separator separated), so the same golden suite can be
 * run against any checkpoint the official code produced.
 */
public record GoldenFixture(Path dir, JsonNode json) implements AutoCloseable {

    public static final Path BUNDLED = Paths.get("src/test/resources/fixtures/fgclip2-tiny-public");

    public static GoldenFixture open(Path dir) {
        try {
            return new GoldenFixture(dir, new ObjectMapper().readTree(dir.resolve("goldens.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GoldenFixture publicTiny() {
        return open(BUNDLED);
    }

    /** Every golden fixture folder available to this run, the bundled one first. */
    public static List<Path> all() {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(BUNDLED.toAbsolutePath().normalize());
        Path shared = Paths.get("..", "shared", "fixtures");
        if (Files.isDirectory(shared)) {
            try (Stream<Path> s = Files.list(shared)) {
                s.filter(d -> Files.isRegularFile(d.resolve("goldens.safetensors")))
                        .map(d -> d.toAbsolutePath().normalize())
                        .filter(d -> !sameContent(d, BUNDLED))
                        .sorted()
                        .forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String extra = System.getenv("FGCLIP2_GOLDEN_DIRS");
        if (extra != null && !extra.isBlank()) {
            for (String d : extra.split(File.pathSeparator)) {
                dirs.add(Paths.get(d).toAbsolutePath().normalize());
            }
        }
        return new ArrayList<>(dirs);
    }

    private static boolean sameContent(Path a, Path b) {
        try {
            return Files.mismatch(a.resolve("goldens.safetensors"), b.resolve("goldens.safetensors")) == -1;
        } catch (IOException e) {
            return false;
        }
    }

    /** The reference tensors. Callers close the returned file (or this fixture, which does not cache it). */
    public SafetensorsFile tensors() {
        try {
            return SafetensorsFile.open(dir.resolve("goldens.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path image(String name) {
        return dir.resolve(json.get("images").get(name).get("file").asText());
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return dir.getFileName().toString();
    }
}
