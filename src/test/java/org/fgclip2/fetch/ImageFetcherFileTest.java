package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.fgclip2.fetch.FetchException.Category.BAD_URI;
import static org.fgclip2.fetch.FetchException.Category.FORBIDDEN;
import static org.fgclip2.fetch.FetchException.Category.NOT_FOUND;
import static org.fgclip2.fetch.FetchException.Category.TOO_LARGE;
import static org.fgclip2.testing.FetchPolicies.withSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fgclip2.fetch.FetchException.Category;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code file:} URIs against real files, folders, links and FIFOs in a temporary folder. */
@Timeout(30)
class ImageFetcherFileTest {

    private static final byte[] IMAGE = "image bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;
    private Path root;
    private Path outside;
    private ImageFetcher fetcher;

    @BeforeEach
    void layOut() throws IOException {
        root = Files.createDirectories(temp.resolve("images"));
        outside = Files.createDirectories(temp.resolve("secrets"));
        Files.write(root.resolve("cat.jpg"), IMAGE);
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/dog.jpg"), IMAGE);
        Files.writeString(outside.resolve("key.txt"), "secret");
        fetcher = new ImageFetcher(withSettings("fetch.file-root", root.toString()));
    }

    private String uri(Path path) {
        return path.toUri().toString();
    }

    private Category categoryOf(String uri) {
        try {
            fetcher.fetch(uri);
        } catch (FetchException e) {
            return e.category();
        }
        throw new AssertionError("the fetch of " + uri + " succeeded");
    }

    @Test
    void readsFilesBelowTheRootInEveryLocalForm() {
        String path = root.resolve("sub/dog.jpg").toString();

        assertThat(fetcher.fetch(uri(root.resolve("cat.jpg")))).isEqualTo(IMAGE);
        assertThat(fetcher.fetch("file://" + path)).isEqualTo(IMAGE);
        assertThat(fetcher.fetch("file:" + path)).isEqualTo(IMAGE);
        assertThat(fetcher.fetch("file://localhost" + path)).isEqualTo(IMAGE);
    }

    @Test
    void theDefaultPolicyRefusesEveryFileUri() {
        assertThatThrownBy(() -> new ImageFetcher(withSettings()).fetch(uri(root.resolve("cat.jpg"))))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("fileRoot");
    }

    @Test
    void dotDotSegmentsAreRefusedPlainOrEncoded() {
        assertThat(categoryOf("file://" + root + "/../secrets/key.txt")).isEqualTo(FORBIDDEN);
        assertThat(categoryOf("file://" + root + "/%2e%2e/secrets/key.txt")).isEqualTo(FORBIDDEN);
        assertThat(categoryOf("file://" + root + "/sub/%2E%2E/%2E%2E/secrets/key.txt")).isEqualTo(FORBIDDEN);
        // even when it would stay inside: a URI with '..' is never what a producer should send
        assertThat(categoryOf("file://" + root + "/sub/../cat.jpg")).isEqualTo(FORBIDDEN);
    }

    @Test
    void absolutePathsOutsideTheRootAreRefusedWhetherOrNotTheyExist() throws IOException {
        Path sibling = Files.createDirectories(temp.resolve("images2"));
        Files.write(sibling.resolve("cat.jpg"), IMAGE);

        assertThat(categoryOf(uri(outside.resolve("key.txt")))).isEqualTo(FORBIDDEN);
        assertThat(categoryOf("file:///etc/passwd")).isEqualTo(FORBIDDEN);
        assertThat(categoryOf("file:///no/such/file.jpg")).isEqualTo(FORBIDDEN);
        assertThat(categoryOf(uri(sibling.resolve("cat.jpg")))).isEqualTo(FORBIDDEN);
    }

    @Test
    void symbolicLinksOutOfTheRootAreRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("key.jpg"), outside.resolve("key.txt"));
        Files.createSymbolicLink(root.resolve("linked-dir"), outside);
        Files.createSymbolicLink(root.resolve("null.jpg"), Path.of("/dev/null"));

        assertThatThrownBy(() -> fetcher.fetch(uri(root.resolve("key.jpg"))))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("symbolic link")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(outside.toString()));
        assertThat(categoryOf(uri(root.resolve("linked-dir/key.txt")))).isEqualTo(FORBIDDEN);
        try {
            assertThat(categoryOf(uri(root.resolve("null.jpg")))).isEqualTo(FORBIDDEN);
        } finally {
            Files.delete(root.resolve("null.jpg")); // spares @TempDir its warning about a link to outside
        }
    }

    @Test
    void symbolicLinksWithinTheRootAreFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("alias.jpg"), root.resolve("sub/dog.jpg"));
        Files.createSymbolicLink(root.resolve("alias-dir"), Path.of("sub"));

        assertThat(fetcher.fetch(uri(root.resolve("alias.jpg")))).isEqualTo(IMAGE);
        assertThat(fetcher.fetch(uri(root.resolve("alias-dir/dog.jpg")))).isEqualTo(IMAGE);
    }

    @Test
    void aRootReachedThroughALinkAcceptsBothSpellings() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(temp.resolve("images-link"), root);
        ImageFetcher viaLink = new ImageFetcher(withSettings("fetch.file-root", linkedRoot.toString()));

        assertThat(viaLink.fetch(uri(linkedRoot.resolve("cat.jpg")))).isEqualTo(IMAGE);
        assertThat(viaLink.fetch(uri(root.resolve("cat.jpg")))).isEqualTo(IMAGE);
    }

    @Test
    void foldersAreRefused() {
        assertThatThrownBy(() -> fetcher.fetch(uri(root.resolve("sub"))))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("folder");
        assertThat(categoryOf(uri(root))).isEqualTo(FORBIDDEN);
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = root.resolve("pipe.jpg");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo works").isTrue();

        // opening a FIFO for reading would block until a writer comes: the @Timeout catches that
        assertThatThrownBy(() -> fetcher.fetch(uri(fifo)))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(FORBIDDEN))
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThat(categoryOf(uri(root.resolve("missing.jpg")))).isEqualTo(NOT_FOUND);
        assertThat(categoryOf(uri(root.resolve("cat.jpg/inside")))).isEqualTo(NOT_FOUND);
    }

    @Test
    void aFileAboveTheLimitIsRefusedBeforeReading() throws IOException {
        Files.write(root.resolve("big.jpg"), new byte[2001]);
        ImageFetcher small = new ImageFetcher(withSettings("fetch.file-root", root.toString(), "fetch.max-bytes", "2000"));
        Files.write(root.resolve("exact.jpg"), new byte[2000]);

        assertThatThrownBy(() -> small.fetch(uri(root.resolve("big.jpg"))))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.category()).isEqualTo(TOO_LARGE))
                .hasMessageContaining("2001 bytes");
        assertThat(small.fetch(uri(root.resolve("exact.jpg")))).hasSize(2000);
    }

    @Test
    void oddFileUriFormsAreBadUris() {
        assertThat(categoryOf("file:cat.jpg")).isEqualTo(BAD_URI);
        assertThat(categoryOf("file:images/cat.jpg")).isEqualTo(BAD_URI);
        assertThat(categoryOf("file://fileserver" + root + "/cat.jpg")).isEqualTo(BAD_URI);
        assertThat(categoryOf("file://192.0.2.1" + root + "/cat.jpg")).isEqualTo(BAD_URI);
        assertThat(categoryOf(uri(root.resolve("cat.jpg")) + "?x=1")).isEqualTo(BAD_URI);
        assertThat(categoryOf(uri(root.resolve("cat.jpg")) + "#frag")).isEqualTo(BAD_URI);
        assertThat(categoryOf("file://" + root + "/cat%00.jpg")).isEqualTo(BAD_URI);
    }

    @Test
    void aMissingRootIsAConfigurationError() {
        assertThatThrownBy(() -> new ImageFetcher(withSettings("fetch.file-root", temp.resolve("nope").toString())))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> new ImageFetcher(withSettings("fetch.file-root", root.resolve("cat.jpg").toString())))
                .hasMessageContaining("not a folder");
    }
}
