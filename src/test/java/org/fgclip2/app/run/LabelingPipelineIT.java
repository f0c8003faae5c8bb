package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.data.Offset;
import org.fgclip2.app.Main;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.RegionBox;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.avro.Stage;
import org.fgclip2.serialization.ConfluentPythonClient;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as users run it — a real KRaft broker, the real schema registry, a model checkpoint on disk,
 * image files — read back the way a consumer reads it, including by Confluent's own Python client.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelingPipelineIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    static Path dir;

    static PipelineFixture fixture;
    static LabelingApp app;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration WAIT = Duration.ofSeconds(90);

    @BeforeAll
    static void start(LocalSchemaRegistry registry) throws Exception {
        fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        app = LabelingApp.start(new AppConfig(fixture.settings("pipeline-it"))
                .with(Map.of("embeddings.publish", "true", "embeddings.cache.max-entries", "1000")));
        fixture.defineLabels("default", Map.of(
                "cat", List.of("a photo of a cat", "一只猫"),
                "dog", List.of("a photo of a dog", "一只狗"),
                "car", List.of("a car", "汽车")), 0f);
        waitUntil(() -> get("/labels/default").statusCode() == 200, "labels in the caption store");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void eventsInLabelsAndHeatmapReferencesOut() throws Exception {
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(ImageEvent.newBuilder().setId("img-" + i)
                    .setUri(fixture.writeImage("img-" + i + ".png", TestImages.png(40 + 13 * i, 90 - 9 * i, i)))
                    .setAttributes(Map.of("n", String.valueOf(i))).build());
        }
        fixture.sendImages(events);
        List<ImageLabels> labels = fixture.readLabels(6, WAIT);
        assertThat(labels).extracting(ImageLabels::getImageId)
                .containsExactlyInAnyOrder("img-0", "img-1", "img-2", "img-3", "img-4", "img-5");
        for (ImageLabels l : labels) {
            assertThat(l.getLabels()).extracting(LabelScore::getLabelId).containsExactlyInAnyOrder("cat", "dog", "car");
            assertThat(l.getLabels()).allMatch(LabelScore::getPositive);
            assertThat(l.getAttributes()).containsKey("n");
        }
        List<RegionHeatmap> heatmaps = fixture.readHeatmaps(6 * 3, WAIT);
        assertThat(heatmaps).hasSize(18);
        for (RegionHeatmap h : heatmaps) {
            assertThat(Path.of(URI.create(h.getHeatmapUri()))).exists();
        }

        JsonNode recent = new ObjectMapper().readTree(get("/images/img-3/labels").body());
        assertThat(recent.get("imageId").asText()).isEqualTo("img-3");
    }

    @Test
    @Order(2)
    void confluentsOwnClientReadsOurRecordsFromTheBroker() throws Exception {
        List<String> lines = ConfluentPythonClient.find().consume(fixture.bootstrapServers, fixture.registryUrl,
                "fgclip2.image-labels", 6, 60);
        assertThat(lines).hasSize(6);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode record = json.readTree(line);
            assertThat(record.get("key").asText()).isEqualTo(record.get("value").get("imageId").asText());
            assertThat(record.get("value").get("labels")).hasSize(3);
            assertThat(record.get("value").get("contentSha256").asText()).hasSize(64);
        }

        List<String> embeddings = ConfluentPythonClient.find().consume(fixture.bootstrapServers, fixture.registryUrl,
                "fgclip2.image-embeddings", 6, 60);
        assertThat(embeddings).hasSize(6);
        for (String line : embeddings) {
            JsonNode record = json.readTree(line);
            JsonNode value = record.get("value");
            assertThat(record.get("key").asText()).isEqualTo(value.get("imageId").asText());
            assertThat(value.get("contentSha256").asText()).hasSize(64);
            double norm = 0;
            for (JsonNode x : value.get("embedding")) {
                norm += x.asDouble() * x.asDouble();
            }
            assertThat(norm).as("an L2-normalised embedding, read by Confluent's client").isCloseTo(1.0,
                    Offset.offset(1e-4));
        }
    }

    @Test
    @Order(3)
    void aMixedStreamLabelsTheGoodOnesAndDeadLettersEveryBadOneWithItsStage() throws Exception {
        fixture.sendImages(List.of(
                PipelineFixture.event("good-1", fixture.writeImage("good-1.jpg", TestImages.jpeg(64, 48, 1))),
                PipelineFixture.event("corrupt", fixture.writeImage("corrupt.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 7})),
                PipelineFixture.event("empty", fixture.writeImage("empty.png", new byte[0])),
                PipelineFixture.event("bomb", fixture.writeImage("bomb.png", TestImages.pngBomb(30000, 30000))),
                PipelineFixture.event("unreachable", "http://127.0.0.1:9/nothing-listens-here.png"),
                PipelineFixture.event("metadata", "http://169.254.169.254/latest/meta-data/"),
                PipelineFixture.event("outside-root", dir.resolve("model/config.json").toUri().toString()),
                PipelineFixture.event("good-2", fixture.writeImage("good-2.png", TestImages.png(30, 70, 2)))));
        fixture.sendRaw("not-avro", PipelineFixture.utf8("{\"id\":\"not-avro\",\"uri\":\"x\"}"));
        fixture.sendRaw("unknown-schema", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'a'});

        List<ImageLabels> labels = fixture.readLabels(8, WAIT);
        Set<String> labelled = labels.stream().map(ImageLabels::getImageId).collect(Collectors.toSet());
        assertThat(labelled).contains("good-1", "good-2")
                .doesNotContain("corrupt", "empty", "bomb", "unreachable", "metadata", "outside-root");
        Map<String, DeadLetter> letters = fixture.readDeadLetters(8, WAIT).stream().collect(Collectors.toMap(
                d -> d.getImageId() != null ? d.getImageId() : new String(d.getKey().array()), d -> d));
        assertThat(letters).hasSize(8);
        assertThat(letters.get("corrupt").getStage()).isEqualTo(Stage.DECODE);
        assertThat(letters.get("empty").getStage()).isEqualTo(Stage.DECODE);
        assertThat(letters.get("bomb").getStage()).isEqualTo(Stage.DECODE);
        assertThat(letters.get("unreachable").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("metadata").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("outside-root").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("not-avro").getStage()).isEqualTo(Stage.DESERIALIZE);
        assertThat(letters.get("unknown-schema").getStage()).isEqualTo(Stage.DESERIALIZE);
        assertThat(letters.get("unknown-schema").getValue().array()).containsExactly(0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'a');
    }

    @Test
    @Order(4)
    void healthMetricsAndLabelQueriesAnswerOverHttp() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("RUNNING");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("fgclip2_batch_size", "fgclip2_batch_patch_fill", "fgclip2_queue_wait",
                "fgclip2_model_latency", "fgclip2_images_labelled_total", "fgclip2_dead_letters_total{stage=\"decode\"}",
                "fgclip2_label_set_info", "kafka_stream");
        JsonNode labels = new ObjectMapper().readTree(get("/labels/default").body());
        assertThat(labels.get("labels")).hasSize(3);
        assertThat(labels.get("labels").get(0).get("promptsHash").asText()).isNotBlank();
        assertThat(get("/labels/no-such-set").statusCode()).isEqualTo(404);
        assertThat(get("/images/never-seen/labels").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void aRepostUnderANewIdAndUriIsLabelledFromTheEmbeddingCacheWithoutAForward() throws Exception {
        // thresholds of 1: no label is positive, so no heatmap asks for a forward
        fixture.defineLabels("strict", Map.of("cat", List.of("a photo of a cat"), "car", List.of("a car")), 1f);
        waitUntil(() -> get("/labels/strict").statusCode() == 200, "the strict set in the caption store");
        byte[] picture = TestImages.png(72, 40, 11);
        fixture.sendImages(List.of(ImageEvent.newBuilder().setId("cached-first").setLabelSet("strict")
                .setUri(fixture.writeImage("cached-first.png", picture)).build()));
        waitUntil(() -> get("/images/cached-first/labels").statusCode() == 200, "the first image's labels");
        // its cache entry is committed with its labels; the global store then reads it back on every instance
        fixture.clients.consume("fgclip2.embedding-cache", new StringDeserializer(), new ByteArrayDeserializer(), 1,
                WAIT);

        String served = null;
        for (int attempt = 0; attempt < 20 && served == null; attempt++) {
            double modelImages = metric("fgclip2_model_images_total");
            String id = "repost-" + attempt;
            fixture.sendImages(List.of(ImageEvent.newBuilder().setId(id).setLabelSet("strict")
                    .setUri(fixture.writeImage(id + "-elsewhere.png", picture)).build()));
            waitUntil(() -> get("/images/" + id + "/labels").statusCode() == 200, "labels of " + id);
            if (metric("fgclip2_embedding_cache_hits_total") >= 1) {
                assertThat(metric("fgclip2_model_images_total")).as("no forward for the repost")
                        .isEqualTo(modelImages);
                served = id;
            }
        }
        assertThat(served).as("a repost served from the cache").isNotNull();
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(get("/images/cached-first/labels").body());
        JsonNode repost = json.readTree(get("/images/" + served + "/labels").body());
        assertThat(repost.get("labels")).as("the first run's scores, exactly").isEqualTo(first.get("labels"));
        assertThat(repost.get("contentSha256")).isEqualTo(first.get("contentSha256"));
    }

    @Test
    @Order(6)
    void aChangedThresholdRelabelsTheRetainedImagesWithoutTheModel() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode before = json.readTree(get("/images/cached-first/labels").body());
        double modelImages = metric("fgclip2_model_images_total");
        fixture.defineLabels("strict", Map.of("car", List.of("a car")), 0f);
        waitUntil(() -> json.readTree(get("/images/cached-first/labels").body()).get("trigger").asText()
                .equals("LABELS_CHANGED"), "cached-first re-labelled");
        JsonNode after = json.readTree(get("/images/cached-first/labels").body());
        assertThat(after.get("labelSetVersion")).isNotEqualTo(before.get("labelSetVersion"));
        assertThat(after.get("labels")).filteredOn(l -> l.get("labelId").asText().equals("car"))
                .allMatch(l -> l.get("positive").asBoolean());
        assertThat(metric("fgclip2_relabel_rescored_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric("fgclip2_relabel_published_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric("fgclip2_model_images_total")).as("re-labelling runs no model").isEqualTo(modelImages);
    }

    /**
     * Issue 11 end to end: thresholds calibrated by {@code labels calibrate} from a truth CSV, loaded with
     * {@code labels load} into the real broker and registry, then images scored against them carry the decision of
     * their labels' actions and their boxes' region labels.
     */
    @Test
    @Order(7)
    void calibratedLabelsWithActionsDecideAndBoxesGetRegionLabels() throws Exception {
        // under the labeller's image root, where file: URIs are allowed
        Path photos = fixture.images;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add("moderation-" + i + ".png");
            fixture.writeImage(files.get(i), TestImages.png(48 + 8 * i, 40 + 5 * i, 20 + i));
        }
        Path labels = Files.writeString(dir.resolve("moderation.yaml"), """
                # moderation labels; thresholds come from labels calibrate
                labelSet: moderation
                labels:
                  - id: weapon
                    prompts: ["a weapon", "一把枪"]
                    action: block
                    reviewMargin: 0.05
                  - id: cat
                    prompts: a photo of a cat
                    action: allow
                  - id: background
                    prompts: ["a plain background", "空白背景"]
                """);
        StringBuilder truth = new StringBuilder("file,labelId,positive\n");
        for (int i = 0; i < files.size(); i++) {
            truth.append(files.get(i)).append(",weapon,").append(i % 2 == 0 ? "yes" : "no").append('\n');
            truth.append(files.get(i)).append(",cat,").append(i < 3 ? "yes" : "no").append('\n');
        }
        Path truthCsv = Files.writeString(dir.resolve("truth.csv"), truth);
        Path calibrated = dir.resolve("moderation-calibrated.yaml");
        Path report = dir.resolve("calibration-report");
        // a recall of 1 is reachable whatever the random model scores: the lowest score of a positive image
        assertThat(Main.run("labels", "calibrate", labels.toString(), "--images", photos.toString(),
                "--truth", truthCsv.toString(), "--target-recall", "1", "--out", calibrated.toString(),
                "--report", report.toString(), "--model", fixture.model.toString(), "--device", "cpu")).isZero();
        JsonNode calibration = new ObjectMapper().readTree(report.resolve("calibration.json").toFile());
        Map<String, Double> thresholds = new java.util.HashMap<>();
        for (JsonNode label : calibration.get("labels")) {
            if (!label.get("threshold").isNull()) {
                thresholds.put(label.get("labelId").asText(), label.get("threshold").asDouble());
            }
        }
        assertThat(thresholds).containsOnlyKeys("weapon", "cat");
        assertThat(Files.readString(calibrated)).contains("# moderation labels; thresholds come from labels calibrate");

        assertThat(Main.run("labels", "load", calibrated.toString(), "--bootstrap-servers",
                fixture.bootstrapServers, "--schema-registry-url", fixture.registryUrl)).isZero();
        ObjectMapper json = new ObjectMapper();
        waitUntil(() -> get("/labels/moderation").statusCode() == 200
                && json.readTree(get("/labels/moderation").body()).get("labels").size() == 3, "the moderation set");
        for (JsonNode label : json.readTree(get("/labels/moderation").body()).get("labels")) {
            String id = label.get("labelId").asText();
            if (thresholds.containsKey(id)) {
                assertThat(label.get("threshold").asDouble()).as(id).isEqualTo(thresholds.get(id), Offset.offset(0d));
            }
            assertThat(label.path("action").asText(null)).as(id)
                    .isEqualTo(Map.of("weapon", "block", "cat", "allow").get(id));
        }

        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ImageEvent.Builder event = ImageEvent.newBuilder().setId("mod-" + i).setLabelSet("moderation")
                    .setUri(photos.resolve(files.get(i)).toUri().toString());
            if (i == 0) {
                event.setRegions(List.of(new RegionBox("left", 0f, 0f, 24f, 40f),
                        new RegionBox("too-wide", 0f, 0f, 4000f, 10f)));
            }
            events.add(event.build());
        }
        fixture.sendImages(events);
        for (int i = 0; i < files.size(); i++) {
            String id = "mod-" + i;
            waitUntil(() -> get("/images/" + id + "/labels").statusCode() == 200, "labels of " + id);
            JsonNode result = json.readTree(get("/images/" + id + "/labels").body());
            Set<String> positive = new java.util.HashSet<>();
            Map<String, Double> score = new java.util.HashMap<>();
            for (JsonNode l : result.get("labels")) {
                score.put(l.get("labelId").asText(), l.get("score").asDouble());
                if (l.get("positive").asBoolean()) {
                    positive.add(l.get("labelId").asText());
                }
            }
            List<String> review = new ArrayList<>();
            result.get("reviewLabels").forEach(r -> review.add(r.asText()));
            double weaponThreshold = thresholds.get("weapon");
            boolean weaponInBand = !positive.contains("weapon")
                    && score.get("weapon") >= (float) ((float) weaponThreshold - 0.05f);
            assertThat(review).as(id).isEqualTo(weaponInBand ? List.of("weapon") : List.of());
            String expected = positive.contains("weapon") ? "block" : weaponInBand ? "review"
                    : positive.contains("cat") ? "allow" : null;
            assertThat(result.get("decision").isNull() ? null : result.get("decision").asText()).as(id)
                    .isEqualTo(expected);
        }
        JsonNode regions = json.readTree(get("/images/mod-0/labels").body()).get("regions");
        assertThat(regions).hasSize(2);
        assertThat(regions.get(0).get("error").isNull()).isTrue();
        double sum = 0;
        for (JsonNode r : regions.get(0).get("labels")) {
            sum += r.get("score").asDouble();
        }
        assertThat(sum).as("a softmax over the set's three labels").isCloseTo(1.0, Offset.offset(1e-5));
        assertThat(regions.get(1).get("error").asText()).contains("outside the 48x40 image");
        assertThat(regions.get(1).get("labels")).isEmpty();
    }

    /** A counter or gauge without labels, as /metrics shows it; 0 when it has not been registered yet. */
    static double metric(String name) throws Exception {
        return get("/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(0);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

}
