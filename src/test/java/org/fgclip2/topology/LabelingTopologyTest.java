package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.DistributionSummary;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.assertj.core.data.Offset;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEmbedding;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.RegionScore;
import org.fgclip2.avro.RegionLabels;
import org.fgclip2.avro.RegionBox;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.avro.Stage;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.Vectors;
import org.fgclip2.model.TextWalk;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.SubjectNameStrategy;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelingTopologyTest {

    @TempDir
    Path tmp;

    TopologyHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void threeLabels() {
        h.defineLabel("default", "cat", 0f, "a photo of a cat", "一只猫");
        h.defineLabel("default", "dog", 1f, "a photo of a dog", "一只狗");
        h.defineLabel("default", "car", null, "a car", "汽车");
    }

    @Test
    void theSamePictureUnderAnotherIdAndUriHasTheSameContentHash() throws Exception {
        threeLabels();
        byte[] picture = Files.readAllBytes(Path.of(URI.create(h.png("original.png", 48, 36))));
        h.sendImage("original", h.images.resolve("original.png").toUri().toString());
        h.sendImage("repost", h.file("repost-under-another-name.png", picture));
        h.sendImage("other", h.png("other.png", 36, 48));
        h.pumpUntil(3);

        Map<String, ImageLabels> byId = h.labels().stream()
                .collect(Collectors.toMap(ImageLabels::getImageId, l -> l));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(picture));
        assertThat(byId.get("original").getContentSha256()).isEqualTo(expected);
        assertThat(byId.get("repost").getContentSha256()).isEqualTo(expected);
        assertThat(byId.get("other").getContentSha256()).isNotEqualTo(expected).hasSize(64);
        assertThat(h.services.metrics().registry().get("fgclip2.model.images").counter().count())
                .as("every image went through the vision tower").isEqualTo(3);
    }

    @Test
    void theModelsNativeArraysStayFlatAcrossBatches() throws Exception {
        threeLabels();
        h.sendImage("warm-up", h.png("w.png", 40, 40));
        h.pumpUntil(1);
        var arrays = h.services.metrics().registry().get("fgclip2.model.native.arrays").gauge();
        double before = arrays.value();
        for (int i = 0; i < 4; i++) {
            h.sendImage("img-" + i, h.png("i" + i + ".png", 30 + 20 * i, 50));
        }
        h.pumpUntil(5);
        assertThat(before).as("the weights are arrays of the model's manager").isPositive();
        assertThat(arrays.value()).as("every batch frees what it made").isEqualTo(before);
    }

    /** The decision and review band of a fresh image come from its scores and its labels' actions. */
    @Test
    void aFreshImageCarriesTheDecisionOfItsPositiveLabelsAndItsReviewBand() throws Exception {
        h.define(LabelDefinition.newBuilder().setLabelId("anything").setLabelSet("default")
                .setPrompts(List.of("a picture")).setThreshold(0f).setAction("quarantine").build());
        h.define(LabelDefinition.newBuilder().setLabelId("never").setLabelSet("default")
                .setPrompts(List.of("a weapon")).setThreshold(1f).setAction("block").setReviewMargin(0.999f).build());
        h.define(LabelDefinition.newBuilder().setLabelId("quiet").setLabelSet("default")
                .setPrompts(List.of("a cat")).setThreshold(1f).setAction("block").build());
        h.pumpLabels();
        h.sendImage("img", h.png("img.png", 48, 40));
        h.pumpUntil(1);

        ImageLabels labels = h.labels().get(0);
        float never = labels.getLabels().stream().filter(l -> l.getLabelId().equals("never")).findFirst()
                .orElseThrow().getScore();
        assertThat(never).as("the random model scores well above 0.001").isGreaterThanOrEqualTo(1f - 0.999f);
        assertThat(labels.getReviewLabels()).containsExactly("never");
        assertThat(labels.getDecision()).as("review outranks the team's own word, which outranks allow")
                .isEqualTo("review");
        assertThat(labels.getTrigger()).isEqualTo(LabelTrigger.NEW_IMAGE);
    }

    private static RegionBox box(String id, float x1, float y1, float x2, float y2) {
        return new RegionBox(id, x1, y1, x2, y2);
    }

    /**
     * Every box gets an entry in the event's order: scores for a box that can be pooled (a softmax over the set's
     * labels: they sum to 1), a reason for one that cannot, and the image keeps its labels either way.
     */
    @Test
    void everyBoxOfAnEventIsLabelledOrSaysWhyNot() throws Exception {
        threeLabels();
        h.sendImage(ImageEvent.newBuilder().setId("img").setUri(h.png("r.png", 64, 48)).setRegions(List.of(
                box("whole", 0, 0, 64, 48), box("corner", 2.5f, 3.25f, 20, 17), box("flat", 10, 10, 30, 10),
                box("outside", 40, 20, 70, 40), box("corner", 0, 0, 8, 8), box("nan", Float.NaN, 0, 8, 8),
                box("x".repeat(5000), 0, 0, 8, 8))).build());
        h.pumpUntil(1);

        ImageLabels labels = h.labels().get(0);
        assertThat(labels.getLabels()).hasSize(3);
        List<RegionLabels> regions = labels.getRegions();
        assertThat(regions).extracting(RegionLabels::getId).startsWith("whole", "corner", "flat", "outside",
                "corner", "nan").hasSize(7);
        assertThat(regions.get(6).getId()).as("a long id comes back cut").startsWith("x".repeat(256)).hasSizeLessThan(300);
        for (RegionLabels r : regions.subList(0, 2)) {
            assertThat(r.getError()).isNull();
            assertThat(r.getLabels()).extracting(RegionScore::getLabelId)
                    .containsExactlyInAnyOrder("cat", "dog", "car");
            assertThat(r.getLabels()).extracting(RegionScore::getScore).isSortedAccordingTo(Comparator.reverseOrder())
                    .allSatisfy(score -> assertThat(score).isBetween(0f, 1f));
            assertThat(r.getLabels().stream().mapToDouble(RegionScore::getScore).sum()).isCloseTo(1.0, within(1e-5));
        }
        assertThat(regions.get(0).getBox()).containsExactly(0f, 0f, 64f, 48f);
        assertThat(regions.get(0).getLabels()).as("two boxes, two region features")
                .isNotEqualTo(regions.get(1).getLabels());
        assertThat(regions.get(2).getError()).contains("no area");
        assertThat(regions.get(3).getError()).contains("outside the 64x48 image");
        assertThat(regions.get(4).getError()).contains("names an earlier box");
        assertThat(regions.get(5).getError()).contains("not a finite number");
        assertThat(regions.get(6).getError()).contains("5000 characters");
        assertThat(regions.subList(2, 7)).allSatisfy(r -> assertThat(r.getLabels()).isEmpty());
    }

    @Test
    void boxesBeyondTheLimitGetOneEntryBetweenThem(@TempDir Path other) throws Exception {
        try (TopologyHarness small = new TopologyHarness(other, TopologyHarness.settings(Map.of("fetch.threads", "0",
                "regions.max-per-image", "2", "regions.top-labels", "1")))) {
            small.defineLabel("default", "cat", null, "a cat");
            small.defineLabel("default", "dog", null, "a dog");
            List<RegionBox> boxes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                boxes.add(box("b" + i, 0, 0, 8 + i % 8, 8));
            }
            small.sendImage(ImageEvent.newBuilder().setId("img").setUri(small.png("r.png", 32, 32)).setRegions(boxes)
                    .build());
            small.pumpUntil(1);
            List<RegionLabels> regions = small.labels().get(0).getRegions();
            assertThat(regions).extracting(RegionLabels::getId).containsExactly("b0", "b1", "b2");
            assertThat(regions.get(0).getLabels()).as("regions.top-labels").hasSize(1);
            assertThat(regions.get(2).getError()).isEqualTo("998 boxes from this one on are beyond"
                    + " regions.max-per-image (2) and were not labelled");
        }
    }

    @Test
    void labelsEveryImageAgainstItsLabelSetSortedByScore() throws Exception {
        threeLabels();
        assertThat(h.captionsOut.getQueueSize()).as("one embeddings record per label").isEqualTo(3);
        h.sendImage("img-1", h.png("a.png", 64, 48));
        h.sendImage("img-2", h.png("b.png", 20, 90));
        h.pumpUntil(2);

        List<ImageLabels> out = h.labels();
        assertThat(out).extracting(ImageLabels::getImageId).containsExactlyInAnyOrder("img-1", "img-2");
        for (ImageLabels l : out) {
            assertThat(l.getLabelSet()).isEqualTo("default");
            assertThat(l.getModelId()).isEqualTo(h.inference.info().id());
            assertThat(l.getLabels()).extracting(LabelScore::getLabelId).containsExactlyInAnyOrder("cat", "dog", "car");
            List<Float> scores = l.getLabels().stream().map(LabelScore::getScore).collect(Collectors.toList());
            assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
            Map<String, LabelScore> byId = l.getLabels().stream()
                    .collect(Collectors.toMap(LabelScore::getLabelId, s -> s));
            assertThat(byId.get("cat").getPositive()).as("threshold 0").isTrue();
            assertThat(byId.get("dog").getPositive()).as("threshold 1").isFalse();
            assertThat(byId.get("car").getPositive()).isEqualTo(byId.get("car").getScore() >= 0.3f);
            assertThat(byId.get("cat").getPrompt()).isIn("a photo of a cat", "一只猫");
        }
        assertThat(h.pendingStore()).as("nothing left pending").isEmpty();
    }

    @Test
    void scoreIsTheBestPromptAndMatchesTheModelDirectly() throws Exception {
        h.defineLabel("default", "cat", null, "a photo of a cat", "一只猫");
        String uri = h.png("a.png", 64, 48);
        h.sendImage("img-1", uri);
        h.pumpUntil(1);
        LabelScore cat = h.labels().get(0).getLabels().get(0);

        var image = TestImages.decoder().decode(Files.readAllBytes(h.images.resolve("a.png")));
        float[] embedding = h.inference.embedImages(List.of(h.inference.imageProcessor().preprocess(image)))[0];
        var texts = h.inference.embedTexts(List.of("a photo of a cat", "一只猫"), TextWalk.SHORT);
        double best = Math.max(
                h.inference.scoring().probability(Vectors.dot(embedding, texts.normalized()[0])),
                h.inference.scoring().probability(Vectors.dot(embedding, texts.normalized()[1])));
        assertThat((double) cat.getScore()).isCloseTo(best, Offset.offset(1e-6));
    }

    @Test
    void updatingALabelReembedsOnlyItAndChangesTheVersionDeletingRemovesIt() throws Exception {
        threeLabels();
        h.captionsOut.readValuesToList();
        h.sendImage("img-1", h.png("a.png", 64, 48));
        h.pumpUntil(1);
        String v1 = h.labels().get(0).getLabelSetVersion();

        h.defineLabel("default", "cat", 0f, "a photo of a cat", "一只猫");
        assertThat(h.captionsOut.getQueueSize()).as("unchanged definition is not embedded again").isZero();
        h.defineLabel("default", "car", null, "a red car", "红色汽车");
        assertThat(h.captionsOut.readKeyValuesToList()).as("only the changed label").extracting(kv -> kv.key)
                .containsExactly("car");
        h.sendImage("img-2", h.png("b.png", 64, 48));
        h.pumpUntil(1);
        ImageLabels second = h.labels().get(0);
        assertThat(second.getLabelSetVersion()).isNotEqualTo(v1);
        assertThat(second.getLabels()).filteredOn(l -> l.getLabelId().equals("car"))
                .extracting(LabelScore::getPrompt).allMatch(p -> p.equals("a red car") || p.equals("红色汽车"));

        h.deleteLabel("dog");
        var tombstone = h.captionsOut.readRecord();
        assertThat(tombstone.key()).isEqualTo("dog");
        assertThat(tombstone.value()).isNull();
        h.sendImage("img-3", h.png("c.png", 64, 48));
        h.pumpUntil(1);
        assertThat(h.labels().get(0).getLabels()).extracting(LabelScore::getLabelId).containsExactlyInAnyOrder("cat", "car");
    }

    @Test
    void labelSetsAreSeparateAndAttributesAreCarriedThrough() throws Exception {
        threeLabels();
        h.defineLabel("moderation", "weapon", 0f, "a weapon", "武器");
        h.sendImage(ImageEvent.newBuilder().setId("img-1").setUri(h.png("a.png", 50, 50)).setLabelSet("moderation")
                .setAttributes(Map.of("tenant", "acme", "source", "upload")).build());
        h.pumpUntil(1);
        ImageLabels l = h.labels().get(0);
        assertThat(l.getLabelSet()).isEqualTo("moderation");
        assertThat(l.getLabels()).extracting(LabelScore::getLabelId).containsExactly("weapon");
        assertThat(l.getAttributes()).containsEntry("tenant", "acme").containsEntry("source", "upload");
        List<RegionHeatmap> heatmaps = h.heatmapRecords();
        assertThat(heatmaps).hasSize(1);
        assertThat(heatmaps.get(0).getAttributes()).containsEntry("tenant", "acme");
    }

    @Test
    void anImageOfALabelSetWithoutLabelsIsDeadLetteredNamingTheSet() throws Exception {
        threeLabels();
        h.sendImage(ImageEvent.newBuilder().setId("img-1").setUri(h.png("a.png", 50, 50)).setLabelSet("nope").build());
        h.pumpUntil(1);
        assertThat(h.labels()).isEmpty();
        DeadLetter letter = h.deadLetters().get(0);
        assertThat(letter.getStage()).isEqualTo(Stage.LABELS);
        assertThat(letter.getImageId()).isEqualTo("img-1");
        assertThat(letter.getReason()).contains("'nope'").contains("known sets: default");
        assertThat(h.pendingStore()).isEmpty();
    }

    @Test
    void heatmapsForPositiveLabelsAreWrittenBeforeTheirReferenceIsPublished() throws Exception {
        threeLabels();
        h.sendImage("img-1", h.png("a.png", 96, 64));
        h.pumpUntil(1);
        ImageLabels labels = h.labels().get(0);
        List<RegionHeatmap> heatmaps = h.heatmapRecords();
        List<String> positive = labels.getLabels().stream().filter(LabelScore::getPositive)
                .map(LabelScore::getLabelId).collect(Collectors.toList());
        assertThat(heatmaps).extracting(RegionHeatmap::getLabelId).containsExactlyInAnyOrderElementsOf(positive);
        for (RegionHeatmap r : heatmaps) {
            Path png = Path.of(URI.create(r.getHeatmapUri()));
            assertThat(png).exists();
            assertThat(TestImages.decoder().decode(Files.readAllBytes(png)).width()).isPositive();
            assertThat(r.getGridShape()).hasSize(2);
            assertThat(r.getBox().getX1()).isLessThan(r.getBox().getX2());
            assertThat(r.getPeakX()).isBetween(0, 95);
            assertThat(r.getPeakY()).isBetween(0, 63);
            assertThat(r.getModelId()).isEqualTo(h.inference.info().id());
        }
    }

    @Test
    void anEventAskingForHeatmapsGetsThemEvenForNegativeLabels() throws Exception {
        h.defineLabel("default", "dog", 1f, "a dog");
        h.sendImage(ImageEvent.newBuilder().setId("img-1").setUri(h.png("a.png", 40, 40)).setHeatmaps(true).build());
        h.pumpUntil(1);
        assertThat(h.labels().get(0).getLabels().get(0).getPositive()).isFalse();
        assertThat(h.heatmapRecords()).extracting(RegionHeatmap::getLabelId).containsExactly("dog");
    }

    @Test
    void everyFailingStageBecomesADeadLetterAndTheStreamGoesOn() throws Exception {
        threeLabels();
        h.sendRaw("garbage", "{\"id\": \"x\"}".getBytes());
        h.sendRaw("unknown-schema", new byte[] {0, 0, 0, 0x7f, 0x11, 2, 3});
        h.sendImage("missing", h.images.resolve("nope.png").toUri().toString());
        h.sendImage("escape", h.images.resolve("../../etc/passwd").toUri().toString());
        h.sendImage("metadata", "http://169.254.169.254/latest/meta-data");
        h.sendImage("corrupt", h.file("corrupt.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
        h.sendImage("empty", h.file("empty.jpg", new byte[0]));
        h.sendImage(ImageEvent.newBuilder().setId("budget").setUri(h.png("budget.png", 30, 30)).setMaxPatches(0).build());
        h.sendImage("good", h.png("good.png", 32, 32));
        h.pumpUntil(9);

        assertThat(h.labels()).extracting(ImageLabels::getImageId).containsExactly("good");
        Map<String, DeadLetter> letters = h.deadLetters().stream().collect(Collectors.toMap(
                d -> d.getImageId() != null ? d.getImageId() : new String(d.getKey().array()), d -> d));
        assertThat(letters.get("garbage").getStage()).isEqualTo(Stage.DESERIALIZE);
        assertThat(letters.get("garbage").getReason()).contains("magic byte");
        assertThat(new String(letters.get("garbage").getValue().array())).isEqualTo("{\"id\": \"x\"}");
        assertThat(letters.get("unknown-schema").getStage()).isEqualTo(Stage.DESERIALIZE);
        assertThat(letters.get("missing").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("escape").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("metadata").getStage()).isEqualTo(Stage.FETCH);
        assertThat(letters.get("metadata").getReason()).containsIgnoringCase("link-local");
        var registry = h.services.metrics().registry();
        assertThat(registry.get("fgclip2.fetch.failures").tag("category", "not_found").counter().count()).isEqualTo(1);
        assertThat(registry.get("fgclip2.fetch.failures").tag("category", "forbidden").counter().count())
                .as("a file outside the root, a link-local address").isEqualTo(2);
        assertThat(letters.get("corrupt").getStage()).isEqualTo(Stage.DECODE);
        assertThat(letters.get("empty").getStage()).isEqualTo(Stage.DECODE);
        assertThat(letters.get("budget").getStage()).isEqualTo(Stage.PREPROCESS);
        for (DeadLetter d : letters.values()) {
            assertThat(d.getTopic()).isEqualTo("fgclip2.images");
            assertThat(d.getReason()).isNotBlank();
        }
        assertThat(h.pendingStore()).isEmpty();
    }

    @Test
    void aFailingModelForwardDeadLettersTheBatchAtStageInference() throws Exception {
        threeLabels();
        String uri = h.png("a.png", 32, 32);
        h.inference.close();
        h.sendImage("img-1", uri);
        h.pumpUntil(1);
        assertThat(h.labels()).isEmpty();
        DeadLetter letter = h.deadLetters().get(0);
        assertThat(letter.getStage()).isEqualTo(Stage.INFERENCE);
        assertThat(letter.getImageId()).isEqualTo("img-1");
        assertThat(h.pendingStore()).isEmpty();
    }

    @Test
    void aBatchWhoseForwardFailsRunsEachImageAloneAndDeadLettersOnlyThoseThatFailAlone() throws Exception {
        threeLabels();
        h.sendImage("warm-up", h.png("w.png", 32, 32));
        h.pumpUntil(1);
        h.labels();
        List<String> uris = List.of(h.png("a.png", 32, 32), h.png("b.png", 32, 32), h.png("c.png", 32, 32));
        h.inference.close();
        for (int i = 0; i < 3; i++) {
            h.sendImage("img-" + i, uris.get(i));
        }
        h.pumpUntil(3);
        List<DeadLetter> letters = h.deadLetters();
        assertThat(letters).extracting(DeadLetter::getImageId).containsExactlyInAnyOrder("img-0", "img-1", "img-2");
        assertThat(letters).allSatisfy(d -> {
            assertThat(d.getStage()).isEqualTo(Stage.INFERENCE);
            assertThat(d.getReason()).contains("closed");
        });
        for (long offset = 1; offset <= 3; offset++) {
            assertThat(h.services.ledger().isSuspect(new ConsumedRecord("fgclip2.images", 0, offset, 0L, null, null, List.of())))
                    .as("img at offset %d no longer suspected", offset).isFalse();
        }
        assertThat(h.services.health().problem()).as("forwards keep failing: not ready")
                .hasValueSatisfying(p -> assertThat(p).contains("failed its last"));
        assertThat(h.pendingStore()).isEmpty();
    }

    @Test
    void withEmbeddingsPublishedEveryImageTheModelRanOnHasItsEmbeddingRecord(@TempDir Path other) throws Exception {
        assertThat(h.driver.producedTopicNames()).as("off by default").doesNotContain("fgclip2.image-embeddings");
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "embeddings.publish", "true"));
        try (TopologyHarness e = new TopologyHarness(other, settings)) {
            e.defineLabel("default", "cat", null, "a cat");
            String uri = e.png("a.png", 48, 32);
            e.sendImage("labelled", uri);
            e.sendImage(ImageEvent.newBuilder().setId("no-labels").setUri(e.png("b.png", 20, 60))
                    .setLabelSet("nobody").build());
            e.pumpUntil(2);

            var out = e.driver.createOutputTopic("fgclip2.image-embeddings", Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            Deserializer<ImageEmbedding> reader = e.avro.specific(ImageEmbedding.class, false).deserializer();
            Map<String, ImageEmbedding> byId = out.readKeyValuesToList().stream().collect(Collectors.toMap(
                    kv -> kv.key, kv -> reader.deserialize("fgclip2.image-embeddings", kv.value)));
            assertThat(byId).as("the image of an empty set ran through the model too")
                    .containsOnlyKeys("labelled", "no-labels");
            ImageLabels labels = e.labels().get(0);
            ImageEmbedding embedding = byId.get("labelled");
            assertThat(embedding.getContentSha256()).isEqualTo(labels.getContentSha256());
            assertThat(embedding.getModelId()).isEqualTo(labels.getModelId());
            assertThat(embedding.getSpatialShape()).isEqualTo(labels.getSpatialShape());
            assertThat(embedding.getUri()).isEqualTo(uri);
            var image = TestImages.decoder().decode(Files.readAllBytes(e.images.resolve("a.png")));
            float[] expected = e.inference.embedImages(List.of(e.inference.imageProcessor().preprocess(image)))[0];
            assertThat(embedding.getEmbedding()).hasSize(expected.length);
            double norm = 0;
            for (int i = 0; i < expected.length; i++) {
                assertThat(embedding.getEmbedding().get(i)).isCloseTo(expected[i], Offset.offset(1e-5f));
                norm += expected[i] * expected[i];
            }
            assertThat(norm).as("normalised").isCloseTo(1.0, Offset.offset(1e-4));
        }
    }

    @Test
    void aRepeatUnderAnotherIdAndUriIsScoredFromTheCacheWithoutAForward(@TempDir Path other) throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "embeddings.cache.max-entries", "100"));
        try (TopologyHarness c = new TopologyHarness(other, settings)) {
            // thresholds of 1: no label is positive, so no image needs a heatmap (which only a forward can draw)
            c.defineLabel("default", "cat", 1f, "a photo of a cat", "一只猫");
            c.defineLabel("default", "car", 1f, "a car");
            c.sendImage("first", c.png("first.png", 48, 36));
            c.pumpUntil(1);
            byte[] picture = Files.readAllBytes(c.images.resolve("first.png"));
            c.sendImage("repost", c.file("repost.png", picture));
            c.sendImage(ImageEvent.newBuilder().setId("asks-for-heatmaps").setUri(c.file("again.png", picture))
                    .setHeatmaps(true).build());
            c.pumpUntil(3);

            Map<String, ImageLabels> byId = c.labels().stream()
                    .collect(Collectors.toMap(ImageLabels::getImageId, l -> l));
            assertThat(byId.get("repost").getLabels()).as("the scores of the first run, exactly")
                    .isEqualTo(byId.get("first").getLabels());
            assertThat(byId.get("repost").getSpatialShape()).isEqualTo(byId.get("first").getSpatialShape());
            assertThat(byId.get("repost").getContentSha256()).isEqualTo(byId.get("first").getContentSha256());
            var registry = c.services.metrics().registry();
            assertThat(registry.get("fgclip2.model.images").counter().count())
                    .as("the first image and the one that needs heatmaps ran; the repost did not").isEqualTo(2);
            assertThat(registry.get("fgclip2.embedding.cache.hits").counter().count()).isEqualTo(1);
            assertThat(registry.get("fgclip2.embedding.cache.misses").tag("reason", "absent").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("fgclip2.embedding.cache.misses").tag("reason", "heatmaps").counter().count())
                    .isEqualTo(1);
            assertThat(c.heatmapRecords()).extracting(RegionHeatmap::getImageId).contains("asks-for-heatmaps");
            assertThat(c.pendingStore()).isEmpty();
        }
    }

    @Test
    void aRepeatWithAPositiveLabelIsDecodedAfterAllForItsHeatmap(@TempDir Path other) throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "embeddings.cache.max-entries", "100"));
        try (TopologyHarness c = new TopologyHarness(other, settings)) {
            c.defineLabel("default", "cat", 0f, "a photo of a cat");
            c.sendImage("first", c.png("first.png", 48, 36));
            c.pumpUntil(1);
            byte[] picture = Files.readAllBytes(c.images.resolve("first.png"));
            c.sendImage("repost", c.file("repost.png", picture));
            c.pumpUntil(2);

            Map<String, ImageLabels> byId = c.labels().stream()
                    .collect(Collectors.toMap(ImageLabels::getImageId, l -> l));
            assertThat(byId).containsKeys("first", "repost");
            var registry = c.services.metrics().registry();
            assertThat(registry.get("fgclip2.model.images").counter().count())
                    .as("the repost was found in the cache, then needed the model for its heatmap").isEqualTo(2);
            assertThat(registry.get("fgclip2.embedding.cache.misses").tag("reason", "heatmaps").counter().count())
                    .isEqualTo(1);
            assertThat(registry.find("fgclip2.embedding.cache.hits").counter().count()).isZero();
            assertThat(c.heatmapRecords()).extracting(RegionHeatmap::getImageId).containsExactlyInAnyOrder("first",
                    "repost");
            assertThat(c.deadLetters()).isEmpty();
        }
    }

    @Test
    void aBacklogWaitsInThePendingStoreAndOnlyMaxInProgressImagesAreStarted(@TempDir Path other) throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "batch.max-size", "2",
                "batch.max-in-progress", "2"));
        try (TopologyHarness small = new TopologyHarness(other, settings)) {
            small.defineLabel("default", "cat", null, "a cat");
            String uri = small.png("a.png", 32, 32);
            for (int i = 0; i < 7; i++) {
                small.sendImage("img-" + i, uri);
            }
            var registry = small.services.metrics().registry();
            assertThat(registry.get("fgclip2.images.in.progress").gauge().value()).isEqualTo(2.0);
            assertThat(registry.get("fgclip2.images.deferred").gauge().value()).isEqualTo(5.0);
            assertThat(small.pendingStore()).hasSize(7);
            small.pumpUntil(7);
            assertThat(small.labels()).extracting(ImageLabels::getImageId)
                    .containsExactlyInAnyOrder("img-0", "img-1", "img-2", "img-3", "img-4", "img-5", "img-6");
            assertThat(registry.get("fgclip2.images.deferred").gauge().value()).isZero();
            assertThat(small.pendingStore()).isEmpty();
        }
    }

    @Test
    void anOutputThatCannotBeSerialisedIsDeadLetteredAtStagePublish(@TempDir Path other) throws Exception {
        var registry = new InMemorySchemaRegistryClient();
        for (var entry : Map.of("fgclip2.images-value", ImageEvent.getClassSchema(),
                "fgclip2.label-definitions-value", LabelDefinition.getClassSchema(),
                "fgclip2.caption-embeddings-value", CaptionEmbeddings.getClassSchema(),
                "fgclip2.dead-letters-value", DeadLetter.getClassSchema()).entrySet()) {
            registry.register(entry.getKey(), entry.getValue());
        }
        var serdes = new ConfluentAvroSerdes(registry, false,
                SubjectNameStrategy.TOPIC_NAME);
        try (TopologyHarness strict = new TopologyHarness(other, TopologyHarness.settings(Map.of("fetch.threads", "0")), serdes)) {
            strict.defineLabel("default", "cat", null, "a cat");
            strict.sendImage("img-1", strict.png("a.png", 32, 32));
            strict.pumpUntil(1);
            assertThat(strict.labels()).isEmpty();
            DeadLetter letter = strict.deadLetters().get(0);
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("ImageLabels");
        }
    }

    @Test
    void aHeatmapStoreThatCannotWriteLosesNoLabelsAndDeadLettersTheHeatmap(@TempDir Path other) throws Exception {
        try (TopologyHarness blocked = new TopologyHarness(other, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
            Files.delete(blocked.heatmaps);
            Files.writeString(blocked.heatmaps, "a file where the heatmap directory should be");
            blocked.defineLabel("default", "cat", 0f, "a cat");
            blocked.sendImage("img-1", blocked.png("a.png", 32, 32));
            blocked.pumpUntil(1);
            assertThat(blocked.labels()).extracting(ImageLabels::getImageId).containsExactly("img-1");
            assertThat(blocked.heatmapRecords()).isEmpty();
            DeadLetter letter = blocked.deadLetters().get(0);
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("heatmap");
        }
    }

    @Test
    void withAPreparationPoolImagesAndFailuresComeOutAsWithout(@TempDir Path other) throws Exception {
        try (TopologyHarness pooled = new TopologyHarness(other, TopologyHarness.settings(Map.of("fetch.threads", "2")))) {
            pooled.defineLabel("default", "cat", null, "a cat");
            pooled.sendImage("a", pooled.png("a.png", 40, 30));
            pooled.sendImage("missing", pooled.images.resolve("nope.png").toUri().toString());
            pooled.sendImage("metadata", "http://169.254.169.254/latest/meta-data");
            pooled.sendImage("b", pooled.png("b.png", 30, 40));
            pooled.pumpUntil(4);

            assertThat(pooled.labels()).extracting(ImageLabels::getImageId).containsExactlyInAnyOrder("a", "b");
            assertThat(pooled.deadLetters()).extracting(DeadLetter::getImageId, DeadLetter::getStage)
                    .containsExactlyInAnyOrder(tuple("missing", Stage.FETCH),
                            tuple("metadata", Stage.FETCH));
            assertThat(pooled.pendingStore()).isEmpty();
        }
    }

    @Test
    void imagesWaitingTogetherShareOneBatch() throws Exception {
        threeLabels();
        // the first image of a bucket runs alone while the sizer learns; the next ones wait for company
        h.sendImage("warm-up", h.png("w.png", 64, 64));
        h.pumpUntil(1);
        h.labels();
        var settings = h.services.settings();
        assertThat(settings.batch().maxSize()).isGreaterThan(3);
        for (int i = 0; i < 3; i++) {
            h.sendImage("img-" + i, h.png("i" + i + ".png", 64, 64));
        }
        h.pumpUntil(3);
        assertThat(h.labels()).hasSize(3);
        var batches = ((DistributionSummary) h.services.metrics().registry()
                .find("fgclip2.batch.size").meter());
        assertThat(batches.max()).as("largest batch").isEqualTo(3.0);
    }
}
