package org.fgclip2.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.hub.FakeHub.lfs;
import static org.fgclip2.hub.FakeHub.plain;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.fgclip2.hub.FakeHub.Fault;
import org.fgclip2.hub.FakeHub.HubFile;
import org.fgclip2.hub.FakeHub.HubRequest;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on 127.0.0.1 that speaks the hub's protocol, into a real cache folder. */
class HubDownloadTest {

    private static final DownloadProgress NO_PROGRESS = new DownloadProgress() {
    };

    private static final String REPO = "qihoo360/fg-clip2-base";
    private static final String COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    private static final AtomicInteger REPO_COUNTER = new AtomicInteger();
    private static final Random RANDOM = new Random(20261129);

    private static FakeHub hub;
    private static Map<String, HubFile> fixtureFiles;

    @TempDir
    Path cache;

    @BeforeAll
    static void startHub() throws IOException {
        hub = new FakeHub();
        fixtureFiles = new LinkedHashMap<>();
        // as on the real hub: small JSON files in git, tokenizer and weights in LFS; no special_tokens_map.json
        for (String name : List.of("config.json", "tokenizer_config.json", "preprocessor_config.json")) {
            fixtureFiles.put(name, plain(Files.readAllBytes(GoldenFixture.BUNDLED.resolve(name))));
        }
        for (String name : List.of("tokenizer.json", "model.safetensors")) {
            fixtureFiles.put(name, lfs(Files.readAllBytes(GoldenFixture.BUNDLED.resolve(name))));
        }
        hub.publish(REPO, "main", COMMIT, fixtureFiles);
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    @Test
    void downloadsTheCheckpointIntoTheHuggingFaceCacheLayout() throws IOException {
        Path snapshot = locator(null).resolve(REPO);

        Path repoFolder = cache.resolve("models--qihoo360--fg-clip2-base");
        assertThat(snapshot).isEqualTo(repoFolder.resolve("snapshots").resolve(COMMIT));
        assertThat(Files.readString(repoFolder.resolve("refs/main"))).isEqualTo(COMMIT);
        for (Map.Entry<String, HubFile> file : fixtureFiles.entrySet()) {
            Path entry = snapshot.resolve(file.getKey());
            String etag = file.getValue().lfs() ? FakeHub.sha256(file.getValue().bytes())
                    : FakeHub.gitBlobSha1(file.getValue().bytes());
            assertThat(Files.isSymbolicLink(entry)).as(file.getKey()).isTrue();
            assertThat(Files.readSymbolicLink(entry)).isEqualTo(Path.of("../../blobs/" + etag));
            assertThat(Files.readAllBytes(entry)).isEqualTo(file.getValue().bytes());
        }
        assertThat(snapshot.resolve("special_tokens_map.json")).doesNotExist(); // optional, answered 404
        try (Stream<Path> blobs = Files.list(repoFolder.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".incomplete"));
        }
    }

    @Test
    void pinsEveryFileToTheCommitTheFirstAnswerNamed() {
        int before = hub.requests().size();
        locator(null).resolve(REPO);

        List<HubRequest> hubRequests = hub.requests().subList(before, hub.requests().size()).stream()
                .filter(r -> r.server().equals("hub")).toList();
        assertThat(hubRequests.get(0).path()).isEqualTo("/" + REPO + "/resolve/main/config.json");
        assertThat(hubRequests.subList(1, hubRequests.size()))
                .allSatisfy(r -> assertThat(r.path()).startsWith("/" + REPO + "/resolve/" + COMMIT + "/"));
    }

    @Test
    void aResolvedRevisionIsServedFromTheCacheWithoutAnyRequest() {
        ModelLocator locator = locator(null);
        Path first = locator.resolve(REPO);
        int requestsAfterFirst = hub.requests().size();

        Path second = locator.resolve(REPO);

        assertThat(second).isEqualTo(first);
        assertThat(hub.requests()).hasSize(requestsAfterFirst);
    }

    @Test
    void theCacheServesTheModelAfterTheHubHasGone() throws IOException {
        Path snapshot;
        try (FakeHub transientHub = new FakeHub()) {
            transientHub.publish(REPO, "main", COMMIT, fixtureFiles);
            snapshot = new ModelLocator(transientHub.options(cache, null), NO_PROGRESS).resolve(REPO);
        }
        HubOptions unreachable = new HubOptions(closedPortEndpoint(), cache, null, false, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1, Duration.ofMillis(10));

        assertThat(new ModelLocator(unreachable, NO_PROGRESS).resolve(REPO)).isEqualTo(snapshot);
    }

    @Test
    void offlineModeUsesACompleteCache() {
        Path snapshot = locator(null).resolve(REPO);
        int requests = hub.requests().size();

        ModelLocator offline = new ModelLocator(hub.options(cache, null, true), NO_PROGRESS);

        assertThat(offline.resolve(REPO)).isEqualTo(snapshot);
        assertThat(hub.requests()).hasSize(requests);
    }

    @Test
    void offlineModeWithoutTheModelSaysWhatToDo() {
        int requests = hub.requests().size();
        ModelLocator offline = new ModelLocator(hub.options(cache, null, true), NO_PROGRESS);

        assertThatThrownBy(() -> offline.resolve(REPO + "@v2"))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("HF_HUB_OFFLINE is set")
                .hasMessageContaining("huggingface-cli download " + REPO + " --revision v2")
                .hasMessageContaining(cache.toString())
                .hasMessageContaining("--model /path/to/checkpoint-folder");
        assertThat(hub.requests()).hasSize(requests);
    }

    @Test
    void anUnreachableHubSaysWhatToDo() throws IOException {
        URI endpoint = closedPortEndpoint();
        HubOptions options = new HubOptions(endpoint, cache, null, false, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 4, Duration.ofMillis(10));

        assertThatThrownBy(() -> new ModelLocator(options, NO_PROGRESS).resolve(REPO))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageStartingWith("cannot reach " + endpoint + " to download " + REPO + " (connection refused)")
                .hasMessageContaining(
                        "Download it on a machine with internet (`huggingface-cli download " + REPO + "`)")
                .hasMessageContaining("into " + cache)
                .hasMessageContaining("or pass --model /path/to/checkpoint-folder");
    }

    @Test
    void resumesAfterTheConnectionDropsHalfway() throws IOException {
        HubFile weights = lfs(randomBytes(600_000));
        String repo = publishCheckpoint(weights);
        hub.injectFaults(weights, Fault.DROP_HALFWAY);
        RecordingProgress progress = new RecordingProgress();

        Path snapshot = new ModelLocator(hub.options(cache, null), progress).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        List<HubRequest> gets = cdnGetsOf(weights);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).range()).matches("bytes=[1-9]\\d*-");
        assertThat(progress.events).anyMatch(e -> e.startsWith("retrying model.safetensors 2/4"));
    }

    @Test
    void resumesAfterTheConnectionGoesSilent() throws IOException {
        HubFile weights = lfs(randomBytes(400_000));
        String repo = publishCheckpoint(weights);
        hub.injectFaults(weights, Fault.STALL_HALFWAY);
        RecordingProgress progress = new RecordingProgress();

        Path snapshot = new ModelLocator(hub.options(cache, null), progress).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        assertThat(cdnGetsOf(weights)).hasSize(2).last().extracting(HubRequest::range).isNotNull();
        // the read timeout (1 s in these options) ended the wait, not the server giving up later
        assertThat(progress.events).contains("retrying model.safetensors 2/4: no data received for 1.0 s");
    }

    @Test
    void resumesTheIncompleteFileAnEarlierRunLeft() throws IOException {
        HubFile weights = lfs(randomBytes(300_000));
        String repo = publishCheckpoint(weights);
        Path blobs = Files.createDirectories(cache.resolve("models--" + repo.replace("/", "--")).resolve("blobs"));
        Files.write(blobs.resolve(weights.etag() + ".incomplete"), Arrays.copyOf(weights.bytes(), 123_456));
        RecordingProgress progress = new RecordingProgress();

        Path snapshot = new ModelLocator(hub.options(cache, null), progress).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        assertThat(cdnGetsOf(weights)).singleElement().extracting(HubRequest::range).isEqualTo("bytes=123456-");
        assertThat(progress.events).contains("started model.safetensors 300000 from 123456");
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws IOException {
        HubFile weights = lfs(randomBytes(200_000));
        String repo = publishCheckpoint(weights);
        Path blobs = Files.createDirectories(cache.resolve("models--" + repo.replace("/", "--")).resolve("blobs"));
        // not a prefix of the real bytes: appending the full body after it could never verify
        Files.write(blobs.resolve(weights.etag() + ".incomplete"), randomBytes(50_000));
        hub.injectFaults(weights, Fault.IGNORE_RANGE);

        Path snapshot = locator(null).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        assertThat(cdnGetsOf(weights)).singleElement().extracting(HubRequest::range).isEqualTo("bytes=50000-");
    }

    @Test
    void retriesWhenTheServerIsBrieflyUnavailable() throws IOException {
        HubFile weights = lfs(randomBytes(10_000));
        String repo = publishCheckpoint(weights);
        hub.injectFaults(weights, Fault.UNAVAILABLE, Fault.UNAVAILABLE);

        Path snapshot = locator(null).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        assertThat(cdnGetsOf(weights)).hasSize(3);
    }

    @Test
    void refusesACorruptedDownloadAndKeepsNothingOfIt() throws IOException {
        HubFile weights = lfs(randomBytes(100_000));
        String repo = publishCheckpoint(weights);
        hub.injectFaults(weights, Fault.CORRUPT);

        assertThatThrownBy(() -> locator(null).resolve(repo))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("model.safetensors of " + repo)
                .hasMessageContaining("is corrupt: its SHA-256 is")
                .hasMessageContaining("where the hub announced " + weights.etag());

        Path repoFolder = cache.resolve("models--" + repo.replace("/", "--"));
        assertThat(repoFolder.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")).doesNotExist();
        assertThat(repoFolder.resolve("blobs").resolve(weights.etag())).doesNotExist();
        assertThat(repoFolder.resolve("blobs").resolve(weights.etag() + ".incomplete")).doesNotExist();
    }

    @Test
    void aGatedRepositoryWithoutATokenExplainsHowToGetAccess() {
        String repo = publishCheckpoint(lfs(randomBytes(1_000)));
        hub.gate(repo, "hf_secret");

        assertThatThrownBy(() -> locator(null).resolve(repo))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining(repo + " is a gated model")
                .hasMessageContaining("accept its conditions at " + hub.endpoint() + "/" + repo)
                .hasMessageContaining("set HF_TOKEN");
    }

    @Test
    void theTokenGoesToTheHubButNeverToTheCdn() throws IOException {
        HubFile weights = lfs(randomBytes(5_000));
        String repo = publishCheckpoint(weights);
        hub.gate(repo, "hf_secret");
        int before = hub.requests().size();

        Path snapshot = locator("hf_secret").resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights.bytes());
        List<HubRequest> requests = hub.requests().subList(before, hub.requests().size());
        assertThat(requests).filteredOn(r -> r.server().equals("hub")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hf_secret"));
        assertThat(requests).filteredOn(r -> r.server().equals("cdn")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void anUnknownRepositoryIsReportedAsSuch() {
        assertThatThrownBy(() -> locator(null).resolve("nobody/nothing"))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("access to nobody/nothing was refused (HTTP 401)")
                .hasMessageContaining("may not exist, or be private or gated")
                .hasMessageContaining("missing (none was sent)");
        assertThatThrownBy(() -> locator("hf_any").resolve("nobody/nothing"))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("nobody/nothing is neither a local folder nor a repository on " + hub.endpoint());
    }

    @Test
    void anUnknownRevisionIsReportedAsSuch() {
        assertThatThrownBy(() -> locator(null).resolve(REPO + "@no-such-branch"))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessageContaining("revision \"no-such-branch\" not found in " + REPO);
    }

    @Test
    void aMissingRequiredFileIsNamed() {
        Map<String, HubFile> files = new LinkedHashMap<>(fixtureFiles);
        files.remove("tokenizer.json");
        String repo = "test/no-tokenizer";
        hub.publish(repo, "main", COMMIT, files);

        assertThatThrownBy(() -> locator(null).resolve(repo))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessage("tokenizer.json not found in " + repo + " at revision " + COMMIT
                        + "; an FG-CLIP 2 checkpoint needs it.");
    }

    @Test
    void aRepositoryWithoutSafetensorsWeightsIsRefused() {
        Map<String, HubFile> files = new LinkedHashMap<>(fixtureFiles);
        files.remove("model.safetensors");
        files.put("pytorch_model.bin", lfs(randomBytes(3_000)));
        String repo = "test/pickle-only";
        hub.publish(repo, "main", COMMIT, files);

        assertThatThrownBy(() -> locator(null).resolve(repo))
                .isInstanceOf(ModelResolutionException.class)
                .hasMessage(repo + " has neither model.safetensors nor model.safetensors.index.json at commit "
                        + COMMIT + "; it does not hold an FG-CLIP 2 checkpoint in safetensors format.");
    }

    @Test
    void downloadsAShardedCheckpointWithItsIndex() throws IOException {
        HubFile shard1 = lfs(randomBytes(70_000));
        HubFile shard2 = lfs(randomBytes(50_000));
        String index = """
                {"metadata": {"total_size": 120000},
                 "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                "b.weight": "model-00002-of-00002.safetensors",
                                "c.weight": "model-00001-of-00002.safetensors"}}""";
        Map<String, HubFile> files = new LinkedHashMap<>(fixtureFiles);
        files.remove("model.safetensors");
        files.put("special_tokens_map.json", plain("{\"pad_token\": \"<pad>\"}".getBytes(StandardCharsets.UTF_8)));
        files.put("model.safetensors.index.json", plain(index.getBytes(StandardCharsets.UTF_8)));
        files.put("model-00001-of-00002.safetensors", shard1);
        files.put("model-00002-of-00002.safetensors", shard2);
        String repo = "test/sharded";
        hub.publish(repo, "main", COMMIT, files);

        Path snapshot = locator(null).resolve(repo);

        assertThat(Files.readAllBytes(snapshot.resolve("model-00001-of-00002.safetensors"))).isEqualTo(shard1.bytes());
        assertThat(Files.readAllBytes(snapshot.resolve("model-00002-of-00002.safetensors"))).isEqualTo(shard2.bytes());
        assertThat(snapshot.resolve("special_tokens_map.json")).hasContent("{\"pad_token\": \"<pad>\"}");
        assertThat(RepoFiles.missingFiles(snapshot)).isEmpty();
    }

    @Test
    void tagsAndCommitsResolveToTheirOwnSnapshots() throws IOException {
        String older = "00000000000000000000000000000000000000aa";
        Map<String, HubFile> olderFiles = new LinkedHashMap<>(fixtureFiles);
        olderFiles.put("model.safetensors", lfs(randomBytes(2_000)));
        String repo = "test/tagged";
        hub.publish(repo, "main", COMMIT, fixtureFiles);
        hub.publish(repo, "v1.0", older, olderFiles);
        ModelLocator locator = locator(null);

        Path tagged = locator.resolve(repo + "@v1.0");
        int requests = hub.requests().size();
        Path byCommit = locator.resolve(repo + "@" + older);

        Path repoFolder = cache.resolve("models--test--tagged");
        assertThat(tagged).isEqualTo(repoFolder.resolve("snapshots").resolve(older));
        assertThat(Files.readString(repoFolder.resolve("refs/v1.0"))).isEqualTo(older);
        assertThat(byCommit).isEqualTo(tagged);
        assertThat(hub.requests()).hasSize(requests); // a commit already in the cache needs no request
        assertThat(locator.resolve(repo)).isEqualTo(repoFolder.resolve("snapshots").resolve(COMMIT));
    }

    @Test
    void concurrentResolversDownloadEachFileOnce() throws Exception {
        HubFile weights = lfs(randomBytes(800_000));
        String repo = publishCheckpoint(weights);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(() -> locator(null).resolve(repo));
            Future<Path> b = pool.submit(() -> locator(null).resolve(repo));

            assertThat(a.get()).isEqualTo(b.get());
            assertThat(Files.readAllBytes(a.get().resolve("model.safetensors"))).isEqualTo(weights.bytes());
            assertThat(cdnGetsOf(weights)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private ModelLocator locator(String token) {
        return new ModelLocator(hub.options(cache, token), NO_PROGRESS);
    }

    /** A checkpoint repository of its own, so faults injected for its weights touch no other test. */
    private static String publishCheckpoint(HubFile weights) {
        Map<String, HubFile> files = new LinkedHashMap<>(fixtureFiles);
        files.put("model.safetensors", weights);
        String repo = "test/checkpoint-" + REPO_COUNTER.incrementAndGet();
        hub.publish(repo, "main", COMMIT, files);
        return repo;
    }

    private static List<HubRequest> cdnGetsOf(HubFile file) {
        return hub.requests().stream()
                .filter(r -> r.server().equals("cdn") && r.path().equals("/blobs/" + file.etag()))
                .toList();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static URI closedPortEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static final class RecordingProgress implements DownloadProgress {
        final List<String> events = new ArrayList<>();

        @Override
        public synchronized void started(String file, long totalBytes, long resumedFrom) {
            events.add("started " + file + " " + totalBytes + " from " + resumedFrom);
        }

        @Override
        public synchronized void retrying(String file, int attempt, int maxAttempts, String reason) {
            events.add("retrying " + file + " " + attempt + "/" + maxAttempts + ": " + reason);
        }

        @Override
        public synchronized void finished(String file) {
            events.add("finished " + file);
        }
    }
}
