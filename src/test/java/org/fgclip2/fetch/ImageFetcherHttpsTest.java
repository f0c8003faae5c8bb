package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fgclip2.fetch.FetchException.Category;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.fgclip2.testing.FetchPolicies;

/**
 * HTTPS to a real TLS server on 127.0.0.1 with a certificate made for the test: the request goes to the checked
 * IP address, yet the certificate is still verified against the host name of the URI.
 */
@Timeout(60)
class ImageFetcherHttpsTest {

    private static final byte[] IMAGE = "bytes over TLS".getBytes(StandardCharsets.US_ASCII);
    private static final FetchPolicy LOOPBACK = FetchPolicies.loopbackAllowed();

    @TempDir
    static Path keys;
    private static SelfSignedCertificate forLocalhost;
    private static SelfSignedCertificate forOtherName;

    @BeforeAll
    static void makeCertificates() throws Exception {
        forLocalhost = SelfSignedCertificate.forNames(keys, "localhost");
        forOtherName = SelfSignedCertificate.forNames(keys, "images.example");
    }

    @Test
    void fetchesWithTheCertificateVerifiedAgainstTheHostName() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.https(forLocalhost.serverContext()).serve("/cat.jpg", IMAGE)) {
            ImageFetcher fetcher = new ImageFetcher(LOOPBACK, forLocalhost.trust());

            assertThat(fetcher.fetch("https://localhost:" + server.port() + "/cat.jpg")).isEqualTo(IMAGE);
            assertThat(server.seen()).containsExactly(
                    new LocalHttpServer.Seen("/cat.jpg", "localhost:" + server.port()));
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.https(forOtherName.serverContext()).serve("/cat.jpg", IMAGE)) {
            ImageFetcher fetcher = new ImageFetcher(LOOPBACK, forOtherName.trust());

            assertThatThrownBy(() -> fetcher.fetch("https://localhost:" + server.port() + "/cat.jpg"))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.category()).isEqualTo(Category.UNREACHABLE))
                    .hasMessageContaining("TLS");
            assertThat(server.seen()).isEmpty();
        }
    }

    @Test
    void aSessionVerifiedForOneNameIsNotReusedForAnotherAtTheSameAddress() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.https(forLocalhost.serverContext()).serve("/cat.jpg", IMAGE)) {
            ImageFetcher fetcher = new ImageFetcher(LOOPBACK, forLocalhost.trust());
            fetcher.fetch("https://localhost:" + server.port() + "/cat.jpg");

            // same server, same address; the certificate names localhost, not the IP
            assertThatThrownBy(() -> fetcher.fetch("https://127.0.0.1:" + server.port() + "/cat.jpg"))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.category()).isEqualTo(Category.UNREACHABLE));
        }
    }

    @Test
    void theDefaultPolicyRefusesLoopbackOverHttpsToo() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.https(forLocalhost.serverContext()).serve("/cat.jpg", IMAGE)) {
            ImageFetcher fetcher = new ImageFetcher(FetchPolicies.withSettings(), forLocalhost.trust());

            assertThatThrownBy(() -> fetcher.fetch("https://localhost:" + server.port() + "/cat.jpg"))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.category()).isEqualTo(Category.FORBIDDEN));
            assertThat(server.seen()).isEmpty();
        }
    }

    @Test
    void anHttpsRedirectToTheMetadataServiceIsRefused() throws Exception {
        try (LocalHttpServer server = LocalHttpServer.https(forLocalhost.serverContext())
                .redirect("/evil", 302, "http://169.254.169.254/latest/meta-data/")) {
            ImageFetcher fetcher = new ImageFetcher(LOOPBACK, forLocalhost.trust());

            assertThatThrownBy(() -> fetcher.fetch("https://localhost:" + server.port() + "/evil"))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.category()).isEqualTo(Category.FORBIDDEN));
        }
    }
}
