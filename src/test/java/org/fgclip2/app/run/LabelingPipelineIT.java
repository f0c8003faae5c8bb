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
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
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
