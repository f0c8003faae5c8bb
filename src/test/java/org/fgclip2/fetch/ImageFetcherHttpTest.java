package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.fetch.FetchException.Category.BAD_URI;
import static org.fgclip2.fetch.FetchException.Category.FORBIDDEN;
import static org.fgclip2.fetch.FetchException.Category.HTTP_ERROR;
import static org.fgclip2.fetch.FetchException.Category.NOT_FOUND;
import static org.fgclip2.fetch.FetchException.Category.TIMEOUT;
import static org.fgclip2.fetch.FetchException.Category.TOO_LARGE;
import static org.fgclip2.fetch.FetchException.Category.UNREACHABLE;
import static org.fgclip2.testing.FetchPolicies.loopbackAllowed;
import static org.fgclip2.testing.FetchPolicies.withAddresses;
import static org.fgclip2.testing.FetchPolicies.withSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fgclip2.fetch.FetchException.Category;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP fetches against real servers on 127.0.0.1, and the address checks that keep fetches off this machine. */
@Timeout(30)
class ImageFetcherHttpTest {

    private static final byte[] IMAGE = "not really a PNG, just bytes".getBytes(StandardCharsets.US_ASCII);
    private static final FetchPolicy LOOPBACK = loopbackAllowed();

    private LocalHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.http().serve("/cat.jpg", IMAGE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static Category categoryOf(Runnable fetch) {
        try {
            fetch.run();
        } catch (FetchException e) {
            return e.category();
        }
        throw new AssertionError("the fetch succeeded");
    }

    @Test
    void fetchesFromLoopbackWhenThePolicyAllowsIt() {
        byte[] bytes = new ImageFetcher(LOOPBACK).fetch(url("/cat.jpg"));

        assertThat(bytes).isEqualTo(IMAGE);
        assertThat(server.seen()).containsExactly(new LocalHttpServer.Seen("/cat.jpg", "127.0.0.1:" + server.port()));
    }

    @Test
    void connectsToTheCheckedAddressButSendsTheNameAsHostHeader() {
        byte[] bytes = new ImageFetcher(LOOPBACK).fetch("http://localhost:" + server.port() + "/cat.jpg?size=big");

        assertThat(bytes).isEqualTo(IMAGE);
        assertThat(server.seen()).containsExactly(new LocalHttpServer.Seen("/cat.jpg", "localhost:" + server.port()));
    }

    @Test
    void ipv4MappedIpv6LoopbackIsFetchedFromIpv4WhenAllowed() {
        byte[] bytes = new ImageFetcher(LOOPBACK).fetch("http://[::ffff:127.0.0.1]:" + server.port() + "/cat.jpg");

        assertThat(bytes).isEqualTo(IMAGE);
    }

    @Test
    void ipv6LoopbackIsFetchedWhenAllowed() throws IOException {
        try (LocalHttpServer v6 = LocalHttpServer.on(InetAddress.getByName("::1")).serve("/cat.jpg", IMAGE)) {
            assertThat(new ImageFetcher(LOOPBACK).fetch("http://[::1]:" + v6.port() + "/cat.jpg")).isEqualTo(IMAGE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/cat.jpg", "http://localhost:%d/cat.jpg", "http://[::1]:%d/cat.jpg",
            "http://[::ffff:127.0.0.1]:%d/cat.jpg", "http://127.0.0.2:%d/cat.jpg", "http://LOCALHOST.:%d/cat.jpg",
            "http://[0:0:0:0:0:ffff:7f00:1]:%d/cat.jpg", "http://[::127.0.0.1]:%d/cat.jpg"})
    void theDefaultPolicyRefusesLoopbackWithoutConnecting(String template) {
        ImageFetcher fetcher = new ImageFetcher(withSettings());

        assertThatThrownBy(() -> fetcher.fetch(template.formatted(server.port())))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("loopback").hasMessageContaining("allowLoopback");
        assertThat(server.seen()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://10.1.2.3/",
            "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.0.1/", "http://100.64.0.1/",
            "http://[fd00::1]/", "http://[fc00::1]/", "http://[::ffff:10.0.0.1]/", "http://[::ffff:169.254.169.254]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/", "http://0.0.0.0/", "http://[::]/",
            "http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/"})
    void internalAddressesAreRefusedEvenWhenLoopbackIsAllowed(String uri) {
        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch(uri))).isEqualTo(FORBIDDEN);
    }

    @Test
    void theMetadataAddressNamesTheSettingThatWouldAllowIt() {
        AddressPolicy everythingButLinkLocal = new AddressPolicy(true, true, false, Set.of());

        assertThatThrownBy(() -> new ImageFetcher(withAddresses(everythingButLinkLocal))
                .fetch("http://169.254.169.254/latest/meta-data/iam/security-credentials/"))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("169.254.169.254 is a link-local address")
                .hasMessageContaining("allowLinkLocal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433:%d/cat.jpg", "http://0177.0.0.1:%d/cat.jpg",
            "http://0x7f.0.0.1:%d/cat.jpg", "http://127.1:%d/cat.jpg", "http://0x7f000001:%d/cat.jpg",
            "http://127.000.000.001:%d/cat.jpg"})
    void nonStandardIpv4FormsAreRefusedAsAmbiguous(String template) throws Exception {
        // the JDK reads 2130706433 as 127.0.0.1 and 0177.0.0.1 as 177.0.0.1 (curl: 127.0.0.1): refuse them all
        assertThat(InetAddress.getByName("2130706433").isLoopbackAddress()).isTrue();

        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch(template.formatted(server.port()))))
                .isEqualTo(BAD_URI);
        assertThat(server.seen()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/cat.jpg", "jar:file:/tmp/x.jar!/cat.jpg", "data:image/png;base64,AAAA",
            "gopher://example.com/", "mailto:cat@example.com", "cat.jpg", "//example.com/cat.jpg", "", "http:/cat.jpg",
            "http://user:secret@example.com/cat.jpg", "http://exa mple.com/", "http://under_score.example/cat.jpg",
            "https:///cat.jpg"})
    void malformedOrUnsupportedUrisAreBadUris(String uri) {
        assertThat(categoryOf(() -> new ImageFetcher(withSettings()).fetch(uri))).isEqualTo(BAD_URI);
    }

    @Test
    void aHugeUriIsRefusedWithoutEchoingIt() {
        String uri = "http://example.com/" + "a".repeat(100_000);

        assertThatThrownBy(() -> new ImageFetcher(withSettings()).fetch(uri))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(BAD_URI))
                .hasMessageContaining("100019 characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void followsRedirectsRelativeAndAbsolute() {
        server.redirect("/old", 301, "/moved")
                .redirect("/moved", 307, url("/cat.jpg"));

        assertThat(new ImageFetcher(LOOPBACK).fetch(url("/old"))).isEqualTo(IMAGE);
        assertThat(server.seen()).extracting(LocalHttpServer.Seen::path).containsExactly("/old", "/moved", "/cat.jpg");
    }

    @Test
    void aRedirectToTheMetadataServiceIsRefused() {
        server.redirect("/evil", 302, "http://169.254.169.254/latest/meta-data/");

        assertThatThrownBy(() -> new ImageFetcher(LOOPBACK).fetch(url("/evil")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("redirected from " + url("/evil"))
                .hasMessageContaining("link-local");
    }

    @Test
    void aRedirectToAPrivateAddressIsRefused() {
        server.redirect("/evil", 302, "http://10.0.0.1/admin");

        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch(url("/evil")))).isEqualTo(FORBIDDEN);
    }

    @Test
    void aRedirectToAHostOutsideTheAllowListIsRefused() {
        // the first hop is a name the allow-list admits; the second hop is the same server under its IP
        server.redirect("/evil", 302, url("/cat.jpg"));
        AddressPolicy onlyLoopbackByName = new AddressPolicy(true, false, false, Set.of("localhost"));

        assertThatThrownBy(() -> new ImageFetcher(withAddresses(onlyLoopbackByName))
                .fetch("http://localhost:" + server.port() + "/evil"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("allowedHosts");
        assertThat(server.seen()).extracting(LocalHttpServer.Seen::path).containsExactly("/evil");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/cat.jpg", "jar:file:/x.jar!/a"})
    void aRedirectToAnotherSchemeIsRefused(String location) {
        server.redirect("/evil", 302, location);

        assertThatThrownBy(() -> new ImageFetcher(LOOPBACK).fetch(url("/evil")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("only http and https redirects");
    }

    @Test
    void redirectsAreBounded() {
        server.redirect("/r0", 302, "/r1").redirect("/r1", 302, "/r2").redirect("/r2", 302, "/r3")
                .redirect("/r3", 302, "/cat.jpg");

        assertThatThrownBy(() -> new ImageFetcher(loopbackAllowed("fetch.max-redirects", "3")).fetch(url("/r0")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(HTTP_ERROR))
                .hasMessageContaining("maxRedirects");
        assertThat(server.seen()).extracting(LocalHttpServer.Seen::path).containsExactly("/r0", "/r1", "/r2", "/r3");

        assertThat(new ImageFetcher(loopbackAllowed("fetch.max-redirects", "4")).fetch(url("/r0"))).isEqualTo(IMAGE);
    }

    @Test
    void aRedirectLoopEndsAtTheLimit() {
        server.redirect("/loop", 302, "/loop");

        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch(url("/loop")))).isEqualTo(HTTP_ERROR);
        assertThat(server.seen()).hasSize(3 /* fetch.max-redirects */ + 1);
    }

    @Test
    void aRedirectWithoutLocationIsAnHttpError() {
        server.route("/nowhere", exchange -> exchange.sendResponseHeaders(302, -1));

        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch(url("/nowhere")))).isEqualTo(HTTP_ERROR);
    }

    @Test
    void statusCodesMapToCategories() {
        server.route("/gone", exchange -> LocalHttpServer.respond(exchange, 410, new byte[0]))
                .route("/denied", exchange -> LocalHttpServer.respond(exchange, 403, new byte[0]))
                .route("/broken", exchange -> LocalHttpServer.respond(exchange, 500, "oops".getBytes()));
        ImageFetcher fetcher = new ImageFetcher(LOOPBACK);

        assertThat(categoryOf(() -> fetcher.fetch(url("/missing.jpg")))).isEqualTo(NOT_FOUND);
        assertThat(categoryOf(() -> fetcher.fetch(url("/gone")))).isEqualTo(NOT_FOUND);
        assertThat(categoryOf(() -> fetcher.fetch(url("/denied")))).isEqualTo(HTTP_ERROR);
        assertThatThrownBy(() -> fetcher.fetch(url("/broken"))).hasMessageContaining("HTTP 500");
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReading() {
        server.serve("/big.jpg", new byte[2000]);

        assertThatThrownBy(() -> new ImageFetcher(loopbackAllowed("fetch.max-bytes", "1000")).fetch(url("/big.jpg")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(TOO_LARGE))
                .hasMessageContaining("declares a body of 2000 bytes");
    }

    @Test
    void aChunkedBodyIsCutAtTheLimit() {
        server.route("/chunked.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0); // 0: chunked, no length declared
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(new byte[1000]);
                }
            }
        });

        assertThatThrownBy(() -> new ImageFetcher(loopbackAllowed("fetch.max-bytes", "10000")).fetch(url("/chunked.jpg")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(TOO_LARGE))
                .hasMessageContaining("sent more than 10000 bytes");
    }

    @Test
    void aBodyUntilCloseIsCutAtTheLimit() throws IOException {
        try (RawHttpServer raw = new RawHttpServer(RawHttpServer.untilClose(new byte[50_000]))) {
            String uri = "http://127.0.0.1:" + raw.port() + "/cat.jpg";

            assertThat(categoryOf(() -> new ImageFetcher(loopbackAllowed("fetch.max-bytes", "10000")).fetch(uri)))
                    .isEqualTo(TOO_LARGE);
            assertThat(new ImageFetcher(loopbackAllowed("fetch.max-bytes", "50000")).fetch(uri)).hasSize(50_000);
        }
    }

    @Test
    void aBodyExactlyAtTheLimitIsAccepted() {
        server.serve("/exact.jpg", new byte[1000]);

        assertThat(new ImageFetcher(loopbackAllowed("fetch.max-bytes", "1000")).fetch(url("/exact.jpg"))).hasSize(1000);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        server.route("/silent", exchange -> sleep(20_000));
        FetchPolicy quick = loopbackAllowed("fetch.connect-timeout", "5s",
                "fetch.read-timeout", "500ms");

        assertThatThrownBy(() -> new ImageFetcher(quick).fetch(url("/silent")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(TIMEOUT))
                .hasMessageContaining("readTimeout");
    }

    @Test
    void aBodyThatTricklesPastTheReadTimeoutTimesOut() {
        server.route("/slow.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 1000; i++) {
                out.write(i);
                out.flush();
                sleep(50);
            }
        });
        FetchPolicy quick = loopbackAllowed("fetch.connect-timeout", "5s",
                "fetch.read-timeout", "700ms");

        assertThat(categoryOf(() -> new ImageFetcher(quick).fetch(url("/slow.jpg")))).isEqualTo(TIMEOUT);
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        int closed = port;

        assertThat(categoryOf(() -> new ImageFetcher(LOOPBACK).fetch("http://127.0.0.1:" + closed + "/cat.jpg")))
                .isEqualTo(UNREACHABLE);
    }

    @Test
    void aNameThatDoesNotResolveIsUnreachable() {
        assertThat(categoryOf(() -> new ImageFetcher(withSettings()).fetch("http://no-such-host.invalid/a.jpg")))
                .isEqualTo(UNREACHABLE);
    }

    @Test
    void theAllowListAdmitsExactNamesAndSubdomainWildcards() {
        AddressPolicy onlyImages = new AddressPolicy(true, false, false, Set.of("images.example", "*.cdn.example"));

        assertThat(onlyImages.hostAllowed("images.example")).isTrue();
        assertThat(onlyImages.hostAllowed("a.b.cdn.example")).isTrue();
        assertThat(onlyImages.hostAllowed("cdn.example")).isFalse();
        assertThat(onlyImages.hostAllowed("evilcdn.example")).isFalse();
        assertThat(onlyImages.hostAllowed("images.example.evil")).isFalse();
        assertThatThrownBy(() -> new ImageFetcher(withAddresses(onlyImages)).fetch(url("/cat.jpg")))
                .hasMessageContaining("allowedHosts");
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        for (int i = 0; i < 16; i++) {
            server.serve("/img" + i, ("image " + i).getBytes(StandardCharsets.US_ASCII));
        }
        ImageFetcher fetcher = new ImageFetcher(LOOPBACK);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    results.add(pool.submit(() -> new String(fetcher.fetch(url("/img" + n)), StandardCharsets.US_ASCII)
                            .equals("image " + n)));
                }
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
