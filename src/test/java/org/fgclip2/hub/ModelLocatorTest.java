package org.fgclip2.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local folders, and how the argument is told apart from a hub id; no network in any of these. */
class ModelLocatorTest {

    private static final DownloadProgress NO_PROGRESS = new DownloadProgress() {
    };

    private static final List<String> FIXTURE_FILES = List.of("config.json", "tokenizer.json",
            "tokenizer_config.json", "preprocessor_config.json", "model.safetensors");

    @TempDir
    Path dir;

    @Test
    void aCompleteFolderIsUsedInPlace() throws IOException {
        copyFixture(FIXTURE_FILES);

        assertThat(locator().resolve(dir.toString())).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void theBundledFixtureIsACompleteCheckpoint() {
        assertThat(locator().resolve(GoldenFixture.BUNDLED.toString()))
                .isEqualTo(GoldenFixture.BUNDLED.toAbsolutePath().normalize());
    }

    @Test
    void anIncompleteFolderListsWhatIsMissing() throws IOException {
        copyFixture(List.of("config.json", "tokenizer.json"));

        assertThatThrownBy(() -> locator().resolve(dir.toString()))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageStartingWith(dir.toAbsolutePath() + " is not a complete FG-CLIP 2 checkpoint: it lacks "
                        + "tokenizer_config.json, preprocessor_config.json, "
                        + "model.safetensors (or model.safetensors.index.json and its shards).");
    }

    @Test
    void aShardedFolderNamesTheMissingShard() throws IOException {
        copyFixture(FIXTURE_FILES.subList(0, 4));
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}""");
        Files.write(dir.resolve("model-00001-of-00002.safetensors"), new byte[8]);

        assertThatThrownBy(() -> locator().resolve(dir.toString()))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("it lacks model-00002-of-00002.safetensors.");

        Files.write(dir.resolve("model-00002-of-00002.safetensors"), new byte[8]);
        assertThat(locator().resolve(dir.toString())).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void anIndexNamingAFileOutsideTheFolderIsRefused() throws IOException {
        copyFixture(FIXTURE_FILES.subList(0, 4));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> locator().resolve(dir.toString()))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("names an invalid shard file \"../elsewhere.safetensors\"");
    }

    @Test
    void aFileIsNotACheckpoint() throws IOException {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "x");

        assertThatThrownBy(() -> locator().resolve(file.toString()))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessage(file + " is a file; --model takes a checkpoint folder or a Hugging Face hub id such as "
                        + "qihoo360/fg-clip2-base");
    }

    @Test
    void aMissingPathThatIsNoHubIdIsExplained() {
        for (String arg : List.of(dir.resolve("absent").toString(), "./absent", "models/fg/clip2", "absent")) {
            assertThatThrownBy(() -> locator().resolve(arg))
                    .isInstanceOf(ModelResolutionException.class)
                    .hasMessage("no folder " + arg + " exists, and it is not a Hugging Face hub id "
                            + "(owner/name or owner/name@revision, e.g. qihoo360/fg-clip2-base)");
        }
    }

    @Test
    void anOwnerNameThatIsNoFolderGoesToTheHub() {
        assertThatThrownBy(() -> locator().resolve("someone/some-model"))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageStartingWith(
                        "HF_HUB_OFFLINE is set and someone/some-model is not in the Hugging Face cache");
    }

    @Test
    void aCacheWrittenByHuggingfaceHubIsUsedAsItIs() throws IOException {
        // the layout `huggingface-cli download` leaves: refs/main, blobs by hash, relative links in snapshots/
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path repoFolder = dir.resolve("models--qihoo360--fg-clip2-base");
        Files.createDirectories(repoFolder.resolve("refs"));
        Files.writeString(repoFolder.resolve("refs/main"), commit);
        Path snapshot = Files.createDirectories(repoFolder.resolve("snapshots").resolve(commit));
        Path blobs = Files.createDirectories(repoFolder.resolve("blobs"));
        for (String name : FIXTURE_FILES) {
            byte[] bytes = Files.readAllBytes(GoldenFixture.BUNDLED.resolve(name));
            String etag = FakeHub.sha256(bytes);
            Files.write(blobs.resolve(etag), bytes);
            Files.createSymbolicLink(snapshot.resolve(name), Path.of("../../blobs/" + etag));
        }
        HubOptions unreachable = new HubOptions(closedPortEndpoint(), dir, null, false, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1, Duration.ofMillis(10));

        assertThat(new ModelLocator(unreachable, NO_PROGRESS).resolve("qihoo360/fg-clip2-base"))
                .isEqualTo(snapshot);
    }

    private ModelLocator locator() {
        HubOptions offline = new HubOptions(HubOptions.DEFAULT_ENDPOINT, dir.resolve("hub-cache"), null, true,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMillis(10));
        return new ModelLocator(offline, NO_PROGRESS);
    }

    private void copyFixture(List<String> names) throws IOException {
        for (String name : names) {
            Files.copy(GoldenFixture.BUNDLED.resolve(name), dir.resolve(name));
        }
    }

    private static URI closedPortEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
