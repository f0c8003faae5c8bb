package org.fgclip2.heatmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local store on a real folder: hostile ids, overwrites, and many writers. */
@Timeout(60)
class LocalDirectoryHeatmapStoreTest {

    private static final byte[] PNG = "a png".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    private static void assertSafeBelow(Path root, Path file) {
        assertThat(file.normalize()).startsWith(root);
        for (Path part : root.relativize(file)) {
            String name = part.toString();
            assertThat(name).doesNotContain("/", "\\", "\0").doesNotStartWith(".");
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
    }

    @Test
    void storesUnderTheRootAndReturnsAFileUri() throws IOException {
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(temp.resolve("heatmaps"));

        URI uri = store.put(new HeatmapKey("img-42", "animals", "cat"), PNG);

        assertThat(uri.getScheme()).isEqualTo("file");
        Path file = Path.of(uri);
        assertThat(Files.readAllBytes(file)).isEqualTo(PNG);
        assertThat(temp.resolve("heatmaps").relativize(file).toString())
                .matches("img-42~[0-9a-f]{32}/animals~[0-9a-f]{32}/cat~[0-9a-f]{32}\\.png");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "..", ".", "/", "/etc/passwd", "a/../../b", "\0", "a\0b",
            "C:\\Windows\\x", "", " ", ".hidden", "~", "%2e%2e%2f", "\uD83D\uDC31 cat", "\uD800"})
    void hostileIdsStayInsideTheRoot(String id) throws IOException {
        Path root = temp.resolve("heatmaps");
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(root);

        Path file = Path.of(store.put(new HeatmapKey(id, id, id), PNG));

        assertSafeBelow(root, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(PNG);
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).containsExactly(file);
        }
    }

    @Test
    void veryLongIdsGetShortNamesThatStillDiffer() throws IOException {
        Path root = temp.resolve("heatmaps");
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(root);
        String longId = "x".repeat(10_000);

        Path a = Path.of(store.put(new HeatmapKey(longId + "a", longId, longId), PNG));
        Path b = Path.of(store.put(new HeatmapKey(longId + "b", longId, longId), PNG));

        assertSafeBelow(root, a);
        assertSafeBelow(root, b);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void idsThatLookAlikeGetNamesThatDifferEvenIgnoringCase() {
        List<String> ids = List.of("cat", "Cat", "CAT", "a/b", "a\\b", "a?b", "a_b", ".x", "_x", "\uD800", "\uD801",
                "", " ");
        Set<String> names = new HashSet<>();
        for (String id : ids) {
            names.add(HeatmapNames.segment(id).toLowerCase(Locale.ROOT));
        }

        assertThat(names).hasSameSizeAs(ids);
    }

    @Test
    void theSameKeyOverwritesInPlace() throws IOException {
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(temp);
        HeatmapKey key = new HeatmapKey("img", "set", "label");

        URI first = store.put(key, PNG);
        URI second = store.put(key, "another png".getBytes(StandardCharsets.US_ASCII));

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(Path.of(second))).isEqualTo("another png");
        try (Stream<Path> all = Files.walk(temp)) {
            assertThat(all.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void aReaderNeverSeesAHalfWrittenHeatmap() throws Exception {
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(temp, true);
        HeatmapKey key = new HeatmapKey("img", "set", "label");
        byte[] ones = new byte[1 << 20];
        byte[] twos = new byte[1 << 20];
        Arrays.fill(ones, (byte) 1);
        Arrays.fill(twos, (byte) 2);
        Path file = Path.of(store.put(key, ones));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    store.put(key, i % 2 == 0 ? twos : ones);
                }
                writing.set(false);
            });
            int reads = 0;
            while (writing.get() || reads < 10) {
                byte[] seen = readIfThere(file);
                assertThat(seen).satisfiesAnyOf(s -> assertThat(s).isEqualTo(ones), s -> assertThat(s).isEqualTo(twos));
                reads++;
            }
            writer.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] readIfThere(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AssertionError("the heatmap vanished during an overwrite", e);
        }
    }

    @Test
    void concurrentPutsLeaveCompleteFilesAndNoTemporaries() throws Exception {
        LocalDirectoryHeatmapStore store = new LocalDirectoryHeatmapStore(temp.resolve("heatmaps"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> puts = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                puts.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        int label = i % 5;
                        String body = "label " + label + " from thread " + thread + " " + "x".repeat(10_000);
                        store.put(new HeatmapKey("img" + (thread % 2), "set", "label" + label),
                                body.getBytes(StandardCharsets.US_ASCII));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }

        try (Stream<Path> all = Files.walk(temp.resolve("heatmaps"))) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(2 * 5);
            for (Path file : files) {
                String content = Files.readString(file);
                String label = file.getFileName().toString().substring("label".length(), "label".length() + 1);
                assertThat(content).matches("label " + label + " from thread \\d x{10000}");
            }
        }
    }
}
