package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.LabelTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-labelling: when a label set changes, every task re-scores the images it labelled within the window from their
 * stored embeddings — no model runs — and publishes them again with {@code trigger = LABELS_CHANGED}. The harness
 * runs on the production defaults (heatmaps off where a positive label would ask the model for one).
 */
class RelabelingTest {

    @TempDir
    Path tmp;

    /** Three images labelled against cat (never positive), dog (always) and car (default threshold). */
    private static Map<String, ImageLabels> labelThree(TopologyHarness h) throws Exception {
        h.defineLabel("default", "cat", 1f, "a photo of a cat", "一只猫");
        h.defineLabel("default", "dog", 0f, "a photo of a dog");
        h.defineLabel("default", "car", null, "a car");
        for (int i = 0; i < 3; i++) {
            h.sendImage("img-" + i, h.png("i" + i + ".png", 40 + 16 * i, 48));
        }
        h.pumpUntil(3);
        Map<String, ImageLabels> byId = byId(h.labels());
        assertThat(byId).hasSize(3);
        assertThat(byId.values()).extracting(ImageLabels::getTrigger).containsOnly(LabelTrigger.NEW_IMAGE);
        return byId;
    }

    /** Lets the label sets stay unchanged for longer than relabel.delay (5 s), punctuating as a running app does. */
    private static void settle(TopologyHarness h) {
        for (int i = 0; i < 40; i++) {
            h.driver.advanceWallClockTime(Duration.ofMillis(200));
        }
    }

    private static Map<String, ImageLabels> byId(List<ImageLabels> labels) {
        return labels.stream().collect(Collectors.toMap(ImageLabels::getImageId, l -> l));
    }

    private static double counter(TopologyHarness h, String name) {
        return h.services.metrics().registry().get(name).counter().count();
    }

    private static Map<String, Float> scores(ImageLabels labels) {
        return labels.getLabels().stream().collect(Collectors.toMap(LabelScore::getLabelId, LabelScore::getScore));
    }

    private static Set<String> positives(ImageLabels labels) {
        return labels.getLabels().stream().filter(LabelScore::getPositive).map(LabelScore::getLabelId)
                .collect(Collectors.toSet());
    }

    @Test
    void aChangedThresholdRelabelsEveryRetainedImageOnceWithoutTheModel() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("heatmaps.max-per-image", "0"))) {
            Map<String, ImageLabels> first = labelThree(h);
            h.defineLabel("default", "cat", 0f, "a photo of a cat", "一只猫");
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(h.labelsOut.isEmpty()).as("nothing before the labels were quiet for relabel.delay").isTrue();

            settle(h);
            Map<String, ImageLabels> again = byId(h.labels());
            assertThat(again.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet());
            for (ImageLabels l : again.values()) {
                ImageLabels before = first.get(l.getImageId());
                assertThat(l.getTrigger()).isEqualTo(LabelTrigger.LABELS_CHANGED);
                assertThat(l.getLabelSetVersion()).isNotEqualTo(before.getLabelSetVersion());
                assertThat(positives(l)).as("cat is positive now").contains("cat", "dog");
                assertThat(scores(l)).as("scored from the stored embedding: the scores of the first run")
                        .isEqualTo(scores(before));
                assertThat(l.getUri()).isEqualTo(before.getUri());
                assertThat(l.getContentSha256()).isEqualTo(before.getContentSha256());
                assertThat(l.getSpatialShape()).isEqualTo(before.getSpatialShape());
                assertThat(l.getEventTimestamp()).isEqualTo(before.getEventTimestamp());
            }
            assertThat(counter(h, "fgclip2.model.images")).as("no model ran for re-labelling").isEqualTo(3);
            assertThat(counter(h, "fgclip2.relabel.rescored")).isEqualTo(3);
            assertThat(counter(h, "fgclip2.relabel.published")).isEqualTo(3);

            settle(h);
            assertThat(h.labelsOut.isEmpty()).as("each image once per change").isTrue();
            ImageLabels latest = h.services.imageLabelsReader().apply(h.driver
                    .<String, byte[]>getKeyValueStore(LabelingTopology.RECENT_LABELS_STORE).get("img-0"));
            assertThat(latest.getTrigger()).as("queries answer with the re-labelled record")
                    .isEqualTo(LabelTrigger.LABELS_CHANGED);
        }
    }

    @Test
    void onlyImagesWhosePositiveLabelsChangedArePublishedUnlessEmitIsAll(@TempDir Path other) throws Exception {
        for (String emit : List.of("changed", "all")) {
            try (TopologyHarness h = TopologyHarness.onStreamThread(other.resolve(emit), Map.of("relabel.emit", emit,
                    "heatmaps.max-per-image", "0"))) {
                Map<String, ImageLabels> first = labelThree(h);
                // a car threshold between the images' car scores: only the images above it change their positives
                List<Float> carScores = first.values().stream().map(l -> scores(l).get("car")).sorted().toList();
                assertThat(carScores.get(0)).isLessThan(carScores.get(2));
                float threshold = (carScores.get(1) + carScores.get(2)) / 2;
                h.defineLabel("default", "car", threshold, "a car");
                settle(h);

                Map<String, ImageLabels> again = byId(h.labels());
                Set<String> flipped = first.values().stream()
                        .filter(l -> positives(l).contains("car") != (scores(l).get("car") >= threshold))
                        .map(ImageLabels::getImageId).collect(Collectors.toSet());
                assertThat(flipped).isNotEmpty();
                assertThat(counter(h, "fgclip2.relabel.rescored")).isEqualTo(3);
                if (emit.equals("changed")) {
                    assertThat(again.keySet()).as("emit=changed").containsExactlyInAnyOrderElementsOf(flipped);
                } else {
                    assertThat(again.keySet()).as("emit=all").containsExactlyInAnyOrderElementsOf(first.keySet());
                }
                assertThat(again.values()).allSatisfy(l -> assertThat(positives(l).contains("car"))
                        .isEqualTo(scores(l).get("car") >= threshold));
            }
        }
    }

    /**
     * An action or a review band changes no score nor positive label, but it changes what consumers act on: under
     * emit=changed the images come out again with their new decision.
     */
    @Test
    void aNewActionOrReviewBandRepublishesEveryImageWithItsDecision() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("heatmaps.max-per-image", "0"))) {
            Map<String, ImageLabels> first = labelThree(h);
            assertThat(first.values()).allSatisfy(l -> {
                assertThat(l.getDecision()).isNull();
                assertThat(l.getReviewLabels()).isEmpty();
            });

            h.define(LabelDefinition.newBuilder().setLabelId("dog").setLabelSet("default")
                    .setPrompts(List.of("a photo of a dog")).setThreshold(0f).setAction("block").build());
            settle(h);
            Map<String, ImageLabels> blocked = byId(h.labels());
            assertThat(blocked.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet());
            assertThat(blocked.values()).allSatisfy(l -> {
                assertThat(l.getDecision()).isEqualTo("block");
                assertThat(positives(l)).isEqualTo(positives(first.get(l.getImageId())));
            });

            // cat is never positive (threshold 1); a margin of 1 puts every image in its review band
            h.define(LabelDefinition.newBuilder().setLabelId("cat").setLabelSet("default")
                    .setPrompts(List.of("a photo of a cat", "一只猫")).setThreshold(1f).setReviewMargin(1f).build());
            h.define(LabelDefinition.newBuilder().setLabelId("dog").setLabelSet("default")
                    .setPrompts(List.of("a photo of a dog")).setThreshold(0f).setAction("allow").build());
            settle(h);
            Map<String, ImageLabels> reviewed = byId(h.labels());
            assertThat(reviewed.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet());
            assertThat(reviewed.values()).allSatisfy(l -> {
                assertThat(l.getReviewLabels()).containsExactly("cat");
                assertThat(l.getDecision()).as("review ranks above allow").isEqualTo("review");
                assertThat(scores(l)).isEqualTo(scores(first.get(l.getImageId())));
            });
            assertThat(counter(h, "fgclip2.model.images")).as("no model ran for re-labelling").isEqualTo(3);
        }
    }

    @Test
    void aLabelAddedLaterScoresARetainedImageAsItScoresTheSamePictureFresh() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("heatmaps.max-per-image", "0"))) {
            labelThree(h);
            h.defineLabel("default", "bird", 0f, "a bird", "一只鸟");
            settle(h);
            Map<String, ImageLabels> again = byId(h.labels());
            assertThat(again).hasSize(3);
            assertThat(again.values()).allSatisfy(l -> assertThat(positives(l)).contains("bird"));

            byte[] picture = Files.readAllBytes(h.images.resolve("i1.png"));
            h.sendImage("fresh", h.file("fresh.png", picture));
            h.pumpUntil(1);
            ImageLabels fresh = h.labels().get(0);
            assertThat(fresh.getTrigger()).isEqualTo(LabelTrigger.NEW_IMAGE);
            assertThat(fresh.getLabelSetVersion()).isEqualTo(again.get("img-1").getLabelSetVersion());
            // the fresh image ran in a batch of one, img-1 in a batch of three: their embeddings differ in the last
            // float bits (padding changes the summation order), so the scores agree to float precision
            Map<String, Float> relabelled = scores(again.get("img-1"));
            scores(fresh).forEach((label, score) -> assertThat(score).as(label)
                    .isCloseTo(relabelled.get(label), Offset.offset(1e-6f)));
            assertThat(positives(fresh)).isEqualTo(positives(again.get("img-1")));
        }
    }

    @Test
    void theRetainedImagesAreBoundedByCountAndByWindow(@TempDir Path other) throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("relabel.max-images", "2", "heatmaps.max-per-image", "0"))) {
            labelThree(h);
            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            settle(h);
            assertThat(h.labels()).as("the two labelled last").extracting(ImageLabels::getImageId)
                    .containsExactlyInAnyOrder("img-1", "img-2");
        }
        try (TopologyHarness h = TopologyHarness.onStreamThread(other, Map.of("relabel.window", "1m", "heatmaps.max-per-image", "0"))) {
            labelThree(h);
            h.driver.advanceWallClockTime(Duration.ofMinutes(2));
            h.sendImage("recent", h.png("recent.png", 50, 50));
            h.pumpUntil(1);
            h.labels();
            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            settle(h);
            assertThat(h.labels()).as("only the image labelled within relabel.window")
                    .extracting(ImageLabels::getImageId).containsExactly("recent");
        }
    }

    @Test
    void anImageLabelledAgainIsRetainedOnceUnderItsId() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("heatmaps.max-per-image", "0"))) {
            labelThree(h);
            h.sendImage("img-1", h.png("other.png", 64, 30));
            h.pumpUntil(1);
            ImageLabels second = h.labels().get(0);
            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            settle(h);
            Map<String, Long> perImage = h.labels().stream().collect(Collectors.groupingBy(ImageLabels::getImageId,
                    Collectors.counting()));
            assertThat(perImage).containsOnlyKeys("img-0", "img-1", "img-2").allSatisfy((id, n) -> assertThat(n)
                    .isEqualTo(1));
            assertThat(counter(h, "fgclip2.relabel.rescored")).isEqualTo(3);
            assertThat(second.getUri()).endsWith("other.png");
        }
    }

    @Test
    void withRelabellingOffNothingIsKeptOrRepublished() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("relabel.max-images", "0", "heatmaps.max-per-image", "0"))) {
            labelThree(h);
            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            settle(h);
            assertThat(h.labelsOut.isEmpty()).isTrue();
            assertThat(h.driver.getAllStateStores()).doesNotContainKey(LabelingTopology.RETAINED_IMAGES_STORE);
        }
    }
}
