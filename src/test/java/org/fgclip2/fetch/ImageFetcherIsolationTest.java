package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.fetch.FetchException.Category.HTTP_ERROR;
import static org.fgclip2.fetch.FetchException.Category.NOT_FOUND;
import static org.fgclip2.fetch.FetchException.Category.TIMEOUT;
import static org.fgclip2.fetch.FetchException.Category.UNREACHABLE;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.fgclip2.testing.FetchPolicies;

/**
 * A slow or hanging host delays only its own fetches: the per-host and in-flight limits hold, waiting fetches hold
 * no thread and give up after the queue timeout, and every way a fetch ends gives its turn back. Real servers on
 * 127.0.0.1; no assertion on how long anything takes, only on what has happened while something else has not.
 */
@Timeout(60)
class ImageFetcherIsolationTest {

    private static final byte[] IMAGE = "not really a PNG, just bytes".getBytes(StandardCharsets.US_ASCII);
    /** Generous: only a broken fetcher comes near it. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path root;

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<CompletableFuture<byte[]>> started = new ArrayList<>();
    private final ExecutorService cpu = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        started.forEach(f -> f.cancel(true));
        release.countDown();
        for (AutoCloseable server : servers) {
            server.close();
        }
        cpu.shutdownNow();
    }

    /** @param more further settings, keys and values in pairs */
    private static FetchPolicy limits(int perHost, int inFlight, Duration queueTimeout, String... more) {
        List<String> settings = new ArrayList<>(List.of("fetch.allow-loopback", "true",
                "fetch.max-per-host", String.valueOf(perHost), "fetch.max-in-flight", String.valueOf(inFlight),
                "fetch.queue-timeout", queueTimeout.toMillis() + "ms"));
        settings.addAll(List.of(more));
        return FetchPolicies.withSettings(settings.toArray(String[]::new));
    }

    private RawHttpServer raw(RawHttpServer.Responder responder) throws IOException {
        RawHttpServer server = new RawHttpServer(responder);
        servers.add(server);
        return server;
    }

    /** Answers {@code /held...} once {@link #release} opens, trickles {@code /trickle...}, anything else at once. */
    private RawHttpServer holdingServer() throws IOException {
        return raw((path, out) -> {
            if (path.startsWith("/trickle")) {
                RawHttpServer.trickling(1000, Duration.ofMillis(100)).respond(path, out);
                return;
            }
            if (path.startsWith("/held")) {
                release.await();
            }
            RawHttpServer.untilClose(IMAGE).respond(path, out);
        });
    }

    private LocalHttpServer fastServer() throws IOException {
        LocalHttpServer server = LocalHttpServer.http().serve("/cat.jpg", IMAGE);
        servers.add(server);
        return server;
    }

    private CompletableFuture<byte[]> start(ImageFetcher fetcher, String uri) {
        CompletableFuture<byte[]> f = fetcher.fetchAsync(uri, cpu);
        started.add(f);
        return f;
    }

    private static byte[] await(CompletableFuture<byte[]> fetch) throws Exception {
        return fetch.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    private static FetchException failureOf(CompletableFuture<byte[]> fetch) throws Exception {
        try {
            await(fetch);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(FetchException.class);
            return (FetchException) e.getCause();
        }
        throw new AssertionError("the fetch succeeded");
    }

    @Test
    void aFastHostAndAFileAreServedWhileASlowHostTrickles() throws Exception {
        RawHttpServer slow = raw(RawHttpServer.trickling(1000, Duration.ofSeconds(1)));
        LocalHttpServer fast = fastServer();
        Files.write(root.resolve("cat.jpg"), IMAGE);
        ImageFetcher fetcher = new ImageFetcher(limits(4, 256, PATIENCE, "fetch.file-root", root.toString()));
        List<CompletableFuture<byte[]>> trickling = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            trickling.add(start(fetcher, "http://127.0.0.1:" + slow.port() + "/slow/" + i));
        }
        awaitUntil("4 trickling responses", () -> slow.responding() == 4);

        assertThat(await(start(fetcher, "http://127.0.0.1:" + fast.port() + "/cat.jpg"))).isEqualTo(IMAGE);
        assertThat(await(start(fetcher, root.resolve("cat.jpg").toUri().toString()))).isEqualTo(IMAGE);

        assertThat(trickling).noneMatch(CompletableFuture::isDone);
        assertThat(slow.mostResponding()).as("the per-host limit").isEqualTo(4);
        assertThat(fetcher.httpInFlight()).isEqualTo(4);
        assertThat(fetcher.httpQueued()).isEqualTo(8);
    }

    @Test
    void thePerHostLimitHoldsAndEveryWaitingFetchGetsItsTurn() throws Exception {
        RawHttpServer server = holdingServer();
        ImageFetcher fetcher = new ImageFetcher(limits(3, 256, PATIENCE));
        List<CompletableFuture<byte[]>> fetches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fetches.add(start(fetcher, "http://127.0.0.1:" + server.port() + "/held/" + i));
        }
        awaitUntil("3 held responses", () -> server.responding() == 3);
        Thread.sleep(200); // a chance for a fourth connection, were the limit broken

        assertThat(server.connections()).isEqualTo(3);
        assertThat(fetcher.httpInFlight()).isEqualTo(3);
        assertThat(fetcher.httpQueued()).isEqualTo(7);

        release.countDown();
        for (CompletableFuture<byte[]> f : fetches) {
            assertThat(await(f)).isEqualTo(IMAGE);
        }
        assertThat(server.mostResponding()).isEqualTo(3);
        awaitUntil("every turn given back", () -> fetcher.httpInFlight() == 0 && fetcher.httpQueued() == 0);
    }

    @Test
    void theInFlightLimitHoldsOverAllHosts() throws Exception {
        RawHttpServer a = holdingServer();
        RawHttpServer b = holdingServer();
        ImageFetcher fetcher = new ImageFetcher(limits(3, 4, PATIENCE));
        List<CompletableFuture<byte[]>> fetches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fetches.add(start(fetcher, "http://127.0.0.1:" + a.port() + "/held/" + i));
            fetches.add(start(fetcher, "http://127.0.0.1:" + b.port() + "/held/" + i));
        }
        awaitUntil("4 held responses", () -> a.responding() + b.responding() == 4);
        Thread.sleep(200);

        assertThat(a.connections() + b.connections()).isEqualTo(4);
        assertThat(a.mostResponding()).isLessThanOrEqualTo(3);
        assertThat(b.mostResponding()).isLessThanOrEqualTo(3);
        assertThat(fetcher.httpQueued()).isEqualTo(6);

        release.countDown();
        for (CompletableFuture<byte[]> f : fetches) {
            assertThat(await(f)).isEqualTo(IMAGE);
        }
    }

    @Test
    void aHostWithAShortQueueIsNotStuckBehindOneWithALongQueue() throws Exception {
        RawHttpServer busy = holdingServer();
        LocalHttpServer other = fastServer();
        ImageFetcher fetcher = new ImageFetcher(limits(2, 2, PATIENCE));
        List<CompletableFuture<byte[]>> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(start(fetcher, "http://127.0.0.1:" + busy.port() + "/held/" + i));
        }
        awaitUntil("2 held responses", () -> busy.responding() == 2);
        CompletableFuture<byte[]> short_ = start(fetcher, "http://127.0.0.1:" + other.port() + "/cat.jpg");

        held.get(0).cancel(true);

        // every fetch of the busy host is held: had its queue taken the freed slot, this one would never run
        assertThat(await(short_)).isEqualTo(IMAGE);
        assertThat(held.subList(1, 6)).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void aFetchThatWaitsTooLongForItsTurnFailsNamingTheHostAndTheLimit() throws Exception {
        RawHttpServer hanging = holdingServer();
        LocalHttpServer other = fastServer();
        ImageFetcher fetcher = new ImageFetcher(limits(1, 256, Duration.ofMillis(300)));
        CompletableFuture<byte[]> first = start(fetcher, "http://127.0.0.1:" + hanging.port() + "/held/1");
        awaitUntil("the first fetch held", () -> hanging.responding() == 1);

        FetchException e = failureOf(start(fetcher, "http://127.0.0.1:" + hanging.port() + "/held/2"));

        assertThat(e.category()).isEqualTo(TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("URI http://127.0.0.1:" + hanging.port() + "/held/2: no turn to fetch"
                + " from http://127.0.0.1:" + hanging.port() + " within 300 ms (queueTimeout): it had 1 running, the"
                + " per-host limit (maxPerHost), and 1 waiting, this one included; the host is slow or not answering,"
                + " or, if it is only busy, raise maxPerHost or queueTimeout");
        assertThat(await(start(fetcher, "http://127.0.0.1:" + other.port() + "/cat.jpg"))).isEqualTo(IMAGE);
        assertThat(first).isNotDone();
        assertThat(hanging.connections()).isEqualTo(1);
    }

    @Test
    void aFetchWaitingOnTheInFlightLimitSaysSo() throws Exception {
        RawHttpServer a = holdingServer();
        RawHttpServer b = holdingServer();
        ImageFetcher fetcher = new ImageFetcher(limits(1, 1, Duration.ofMillis(300)));
        start(fetcher, "http://127.0.0.1:" + a.port() + "/held/1");
        awaitUntil("the first fetch held", () -> a.responding() == 1);

        FetchException e = failureOf(start(fetcher, "http://127.0.0.1:" + b.port() + "/held/2"));

        assertThat(e.getMessage()).contains("from http://127.0.0.1:" + b.port() + " within 300 ms (queueTimeout)")
                .contains("all 1 fetch slots were taken (maxInFlight), with 1 fetches waiting")
                .contains("raise maxInFlight");
    }

    @Test
    void cancellingAFetchGivesItsTurnBackWhetherRunningOrWaiting() throws Exception {
        RawHttpServer server = holdingServer();
        ImageFetcher fetcher = new ImageFetcher(limits(1, 256, PATIENCE));
        CompletableFuture<byte[]> running = start(fetcher, "http://127.0.0.1:" + server.port() + "/trickle/1");
        awaitUntil("the first fetch trickling", () -> server.responding() == 1);
        CompletableFuture<byte[]> waiting = start(fetcher, "http://127.0.0.1:" + server.port() + "/held/2");
        CompletableFuture<byte[]> next = start(fetcher, "http://127.0.0.1:" + server.port() + "/cat.jpg");
        awaitUntil("two waiting", () -> fetcher.httpQueued() == 2);

        waiting.cancel(true);
        awaitUntil("the cancelled one left the queue", () -> fetcher.httpQueued() == 1);
        running.cancel(true);

        assertThat(await(next)).isEqualTo(IMAGE);
        awaitUntil("the trickling transfer cut", () -> server.responding() == 0);
        assertThat(server.connections()).as("the cancelled waiter never connected").isEqualTo(2);
    }

    @Test
    void failuresAndTimeoutsGiveTheirTurnBack() throws Exception {
        LocalHttpServer server = fastServer();
        server.route("/broken", exchange -> LocalHttpServer.respond(exchange, 500, "oops".getBytes()))
                .route("/silent", exchange -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        // one turn per host: a turn kept by a failed fetch would make the next one wait and fail with the queue
        ImageFetcher fetcher = new ImageFetcher(limits(1, 256, Duration.ofSeconds(5),
                "fetch.connect-timeout", "5s", "fetch.read-timeout", "300ms"));
        String base = "http://127.0.0.1:" + server.port();

        for (int round = 0; round < 2; round++) {
            assertThat(categoryOf(fetcher, base + "/missing.jpg")).isEqualTo(NOT_FOUND);
            assertThat(categoryOf(fetcher, base + "/broken")).isEqualTo(HTTP_ERROR);
            assertThat(categoryOf(fetcher, base + "/silent")).isEqualTo(TIMEOUT);
            assertThat(categoryOf(fetcher, "http://127.0.0.1:" + closedPort + "/cat.jpg")).isEqualTo(UNREACHABLE);
        }
        assertThat(fetcher.fetch(base + "/cat.jpg")).isEqualTo(IMAGE);
        awaitUntil("every turn given back", () -> fetcher.httpInFlight() == 0 && fetcher.httpQueued() == 0);
    }

    @Test
    void aRedirectToAnotherHostGivesTheFirstHostsTurnBack() throws Exception {
        RawHttpServer slowTarget = holdingServer();
        LocalHttpServer first = fastServer()
                .redirect("/go", 302, "http://127.0.0.1:" + slowTarget.port() + "/held/1");
        ImageFetcher fetcher = new ImageFetcher(limits(1, 256, PATIENCE));
        CompletableFuture<byte[]> redirected = start(fetcher, "http://127.0.0.1:" + first.port() + "/go");
        awaitUntil("the redirect target held", () -> slowTarget.responding() == 1);

        assertThat(await(start(fetcher, "http://127.0.0.1:" + first.port() + "/cat.jpg"))).isEqualTo(IMAGE);
        assertThat(redirected).isNotDone();
        release.countDown();
        assertThat(await(redirected)).isEqualTo(IMAGE);
    }

    @Test
    void theBlockingFetchIsStoppedWhenItsThreadIsInterrupted() throws Exception {
        RawHttpServer server = holdingServer();
        ImageFetcher fetcher = new ImageFetcher(limits(1, 256, PATIENCE));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                fetcher.fetch("http://127.0.0.1:" + server.port() + "/held/1");
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        caller.start();
        awaitUntil("the fetch held", () -> server.responding() == 1);

        caller.interrupt();

        assertThat(outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(FetchException.class)
                .hasMessageContaining("interrupted");
        assertThat(await(start(fetcher, "http://127.0.0.1:" + server.port() + "/cat.jpg"))).isEqualTo(IMAGE);
    }

    private static FetchException.Category categoryOf(ImageFetcher fetcher, String uri) {
        try {
            fetcher.fetch(uri);
        } catch (FetchException e) {
            return e.category();
        }
        throw new AssertionError("the fetch of " + uri + " succeeded");
    }

    @Test
    void limitsThatLetOneHostTakeEverySlotAreRefused() {
        assertThatThrownBy(() -> new FetchLimits(32, 16, PATIENCE))
                .hasMessageContaining("maxPerHost 32 is above maxInFlight 16");
        assertThatThrownBy(() -> new FetchLimits(0, 16, PATIENCE)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new FetchLimits(1, 16, Duration.ZERO)).hasMessageContaining("queueTimeout");
    }
}
