package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;
import org.fgclip2.fetch.FetchPolicy;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.preprocess.ImageProcessorConfig;
import org.fgclip2.preprocess.NaflexImageProcessor;
import org.fgclip2.testing.FetchPolicies;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch pool does CPU work only: downloads from a hanging host hold none of its threads, so a
 * {@code file:} image is prepared by a pool of one thread while they hang, and each failure keeps its stage.
 */
@Timeout(60)
class ImagePreparerTest {

    private static final long PATIENCE_MS = 20_000;

    @TempDir
    Path images;

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final List<CompletableFuture<PreparedImage>> started = new ArrayList<>();
    private HttpServer hanging;
    private ImagePreparer preparer;

    @BeforeEach
    void start() throws Exception {
        hanging = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        hanging.setExecutor(Executors.newCachedThreadPool());
        hanging.createContext("/", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        hanging.start();
        FetchPolicy policy = FetchPolicies.withSettings("fetch.allow-loopback", "true",
                "fetch.file-root", images.toString(), "fetch.max-per-host", "2", "fetch.queue-timeout", "500ms");
        preparer = new ImagePreparer(new ImageFetcher(policy), TestImages.decoder(),
                new NaflexImageProcessor(ImageProcessorConfig.defaults()), 0, pool);
    }

    @AfterEach
    void stop() {
        started.forEach(f -> f.cancel(true));
        release.countDown();
        hanging.stop(0);
        pool.shutdownNow();
    }

    private CompletableFuture<PreparedImage> prepare(String id, String uri) {
        CompletableFuture<PreparedImage> f =
                preparer.prepare(ImageEvent.newBuilder().setId(id).setUri(uri).build(), null);
        started.add(f);
        return f;
    }

    private static StageFailure failureOf(CompletableFuture<PreparedImage> prepared) throws Exception {
        try {
            prepared.get(PATIENCE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StageFailure.class);
            return (StageFailure) e.getCause();
        }
        throw new AssertionError("the image was prepared");
    }

    private String png(String name) throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0xFF8800);
        Path file = images.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file.toUri().toString();
    }

    @Test
    void aFileImageIsPreparedWhileDownloadsHangAndTheWaitingOnesFailAtStageFetch() throws Exception {
        String origin = "http://127.0.0.1:" + hanging.getAddress().getPort();
        List<CompletableFuture<PreparedImage>> downloads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            downloads.add(prepare("http-" + i, origin + "/hang/" + i + ".jpg"));
        }

        PreparedImage file = prepare("file", png("a.png")).get(PATIENCE_MS, TimeUnit.MILLISECONDS);

        assertThat(file.patched().patchCount()).isPositive();
        assertThat(downloads.subList(0, 2)).as("running, held by the host").noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<PreparedImage> waiting : downloads.subList(2, 4)) {
            StageFailure failure = failureOf(waiting);
            assertThat(failure.stage()).isEqualTo(Stage.FETCH);
            assertThat(failure.getMessage()).startsWith("URI " + origin + "/hang/")
                    .contains("no turn to fetch from " + origin + " within 500 ms (queueTimeout)")
                    .contains("maxPerHost");
        }
        assertThat(downloads.subList(0, 2)).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void failuresKeepTheirStageOnThePool() throws Exception {
        Files.write(images.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});

        assertThat(failureOf(prepare("missing", images.resolve("nope.png").toUri().toString())).stage())
                .isEqualTo(Stage.FETCH);
        assertThat(failureOf(prepare("metadata", "http://169.254.169.254/latest/meta-data")).getMessage())
                .contains("link-local");
        assertThat(failureOf(prepare("corrupt", images.resolve("corrupt.png").toUri().toString())).stage())
                .isEqualTo(Stage.DECODE);
        ImageEvent noPatches = ImageEvent.newBuilder().setId("budget").setUri(png("b.png")).setMaxPatches(0).build();
        CompletableFuture<PreparedImage> budget = preparer.prepare(noPatches, null);
        assertThat(failureOf(budget).stage()).isEqualTo(Stage.PREPROCESS);
    }

    /** A repeat the cache finds stops after the hash: bytes no decoder could read still come through, undecoded. */
    @Test
    void aRepeatTheCacheFindsIsNotDecodedUntilAskedTo() throws Exception {
        byte[] notAnImage = {(byte) 0x89, 'P', 'N', 'G', 9, 9, 9};
        Files.write(images.resolve("cached.png"), notAnImage);
        ImageEvent event = ImageEvent.newBuilder().setId("cached").setUri(images.resolve("cached.png").toUri()
                .toString()).build();
        List<String> asked = new ArrayList<>();
        EmbeddingCache.Hit hit = new EmbeddingCache.Hit(new float[] {1f, 0f}, 3, 4);
        PreparedImage prepared = preparer.prepare(event, sha -> {
            asked.add(sha);
            return hit;
        }).get(PATIENCE_MS, TimeUnit.MILLISECONDS);

        assertThat(asked).containsExactly(Hashes.ofContent(notAnImage));
        assertThat(prepared.isDecoded()).isFalse();
        assertThat(prepared.cached()).isSameAs(hit);
        assertThat(prepared.contentSha256()).isEqualTo(asked.get(0));
        assertThat(prepared.gridHeight()).isEqualTo(3);
        assertThat(prepared.gridWidth()).isEqualTo(4);
        assertThat(failureOf(preparer.decode(event, prepared)).stage()).as("decoded when it needs a forward")
                .isEqualTo(Stage.DECODE);

        PreparedImage missed = preparer.prepare(ImageEvent.newBuilder().setId("m").setUri(png("m.png")).build(),
                sha -> null).get(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertThat(missed.isDecoded()).isTrue();
    }
}
