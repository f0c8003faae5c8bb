package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the topology publishes fits its topic, whatever the input holds: oversized inputs become dead
 * letters cut to size, oversized label definitions and label sets are refused with the limit they broke, and an
 * output that would not fit its topic becomes a dead letter instead of a refused record.
 */
class RecordLimitsTest {

    @TempDir
    Path tmp;

    private static final LabelingSettings NO_POOL = TopologyHarness.settings(Map.of("fetch.threads", "0"));

    @Test
    void aDeadLetterOfAHugeEventIsCutToTheCopyLimitAndSaysSo() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL)) {
            h.defineLabel("default", "cat", null, "a cat");
            String uri = "file:///" + "x".repeat(600_000) + ".png";
            h.sendImage("huge-uri", uri);
            h.pumpUntil(1);
            TestRecord<String, byte[]> record = h.deadLettersOut.readRecord();
            DeadLetter letter = h.deserializeDeadLetter(record.value());
            assertThat(letter.getStage()).isEqualTo(Stage.FETCH);
            assertThat(letter.getTruncated()).isTrue();
            assertThat(letter.getValueLength()).isGreaterThan(600_000);
            assertThat(letter.getValue().remaining()).isEqualTo(NO_POOL.deadLetterCopyBytes());
            assertThat(letter.getUri()).hasSizeLessThan(DeadLetters.MAX_TEXT_CHARS + 100);
            assertThat(letter.getOffset()).as("the whole record stays replayable from here").isZero();
            assertThat(record.value().length + record.key().length())
                    .isLessThanOrEqualTo(OutputLimits.KAFKA_DEFAULT - OutputLimits.FRAMING_BYTES);
            assertThat(new String(record.headers().lastHeader(SourceHeader.NAME).value(), StandardCharsets.UTF_8))
                    .isEqualTo("fgclip2.images:0:0");
        }
    }

    @Test
    void aDeadLetterShrinksFurtherToFitASmallDeadLetterTopic() throws Exception {
        var limits = new OutputLimits(Map.of("fgclip2.dead-letters", 20_000), OutputLimits.KAFKA_DEFAULT);
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL, limits)) {
            h.sendRaw("junk", new byte[100_000]);
            h.pumpUntil(1);
            TestRecord<String, byte[]> record = h.deadLettersOut.readRecord();
            DeadLetter letter = h.deserializeDeadLetter(record.value());
            assertThat(letter.getStage()).isEqualTo(Stage.DESERIALIZE);
            assertThat(letter.getTruncated()).isTrue();
            assertThat(letter.getValueLength()).isEqualTo(100_000);
            assertThat(record.value().length).isLessThanOrEqualTo(20_000 - OutputLimits.FRAMING_BYTES);
            assertThat(letter.getValue().remaining()).isPositive();
        }
    }

    @Test
    void eventsWithOverlongIdsOrAttributesAreRefusedBeforeTheyCostAnything() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL)) {
            h.defineLabel("default", "cat", null, "a cat");
            String uri = h.png("a.png", 32, 32);
            h.sendImage(ImageEvent.newBuilder().setId("i".repeat(ImageEvents.MAX_ID_BYTES + 1)).setUri(uri).build());
            h.sendImage(ImageEvent.newBuilder().setId("attributes").setUri(uri)
                    .setAttributes(Map.of("note", "n".repeat(ImageEvents.MAX_ATTRIBUTES_BYTES))).build());
            h.sendImage("good", uri);
            h.pumpUntil(3);
            assertThat(h.labels()).extracting(ImageLabels::getImageId).containsExactly("good");
            List<DeadLetter> letters = h.deadLetters();
            assertThat(letters).extracting(DeadLetter::getStage).containsOnly(Stage.DESERIALIZE);
            assertThat(letters).extracting(DeadLetter::getReason).anyMatch(r -> r.contains("image id is 1025 bytes"))
                    .anyMatch(r -> r.contains("attributes take"));
        }
    }

    @Test
    void labelDefinitionsBeyondTheLimitsAreDeadLetteredAndImagesGoOn() throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "labels.max-per-set", "2",
                "labels.max-prompts", "3", "labels.max-prompt-chars", "40"));
        try (TopologyHarness h = new TopologyHarness(tmp, settings)) {
            h.defineLabel("default", "many", null, "a", "b", "c", "d");
            h.defineLabel("default", "long", null, "p".repeat(41));
            h.define(LabelDefinition.newBuilder().setLabelId("box").setLabelSet("default").setPrompts(List.of("ok"))
                    .setBoxPrompt("b".repeat(41)).build());
            h.defineLabel("default", "cat", null, "a cat");
            h.defineLabel("default", "dog", null, "a dog");
            h.defineLabel("default", "third", null, "a third label");
            h.pumpLabels();
            Map<String, DeadLetter> letters = new HashMap<>();
            h.deadLetters().forEach(d -> letters.put(new String(d.getKey().array(), StandardCharsets.UTF_8), d));
            assertThat(letters.get("many").getReason()).contains("4 prompts").contains("labels.max-prompts");
            assertThat(letters.get("long").getReason()).contains("41 characters").contains("labels.max-prompt-chars");
            assertThat(letters.get("box").getReason()).contains("box prompt");
            assertThat(letters.get("third").getStage()).isEqualTo(Stage.LABELS);
            assertThat(letters.get("third").getReason()).contains("already has 2 labels").contains("labels.max-per-set");
            h.sendImage("img", h.png("a.png", 32, 32));
            h.pumpUntil(1);
            assertThat(h.labels().get(0).getLabels()).extracting(l -> l.getLabelId())
                    .containsExactlyInAnyOrder("cat", "dog");
        }
    }

    @Test
    void aLabelThatWouldMakeImageLabelsTooLargeIsRefusedForItsSet() throws Exception {
        // image-labels records may take 4 KiB here, so a set's scores may take half of that, less framing
        var limits = new OutputLimits(Map.of("fgclip2.image-labels", 4096 + OutputLimits.FRAMING_BYTES),
                OutputLimits.KAFKA_DEFAULT);
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL, limits)) {
            h.defineLabel("default", "a", null, "x".repeat(900));
            h.defineLabel("default", "b", null, "y".repeat(900));
            h.defineLabel("default", "c", null, "z".repeat(900));
            DeadLetter refused = h.deadLetters().get(0);
            assertThat(new String(refused.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("c");
            assertThat(refused.getStage()).isEqualTo(Stage.LABELS);
            assertThat(refused.getReason()).contains("label set 'default'").contains("2048 bytes allowed");
        }
    }

    @Test
    void imageLabelsThatWouldNotFitTheirTopicBecomeADeadLetter() throws Exception {
        var limits = new OutputLimits(Map.of("fgclip2.image-labels", 8192 + OutputLimits.FRAMING_BYTES),
                OutputLimits.KAFKA_DEFAULT);
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL, limits)) {
            h.defineLabel("default", "cat", null, "a cat");
            String uri = h.png("a.png", 32, 32);
            h.sendImage(ImageEvent.newBuilder().setId("big").setUri(uri)
                    .setAttributes(Map.of("note", "n".repeat(10_000))).build());
            h.sendImage("small", uri);
            h.pumpUntil(2);
            assertThat(h.labels()).extracting(ImageLabels::getImageId).containsExactly("small");
            DeadLetter letter = h.deadLetters().get(0);
            assertThat(letter.getImageId()).isEqualTo("big");
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("ImageLabels").contains("8192 bytes");
            assertThat(h.pendingStore()).isEmpty();
        }
    }

    @Test
    void everyOutputNamesTheInputItCameFrom() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, NO_POOL)) {
            h.defineLabel("default", "cat", 0f, "a cat");
            List<String> sources = new ArrayList<>();
            h.captionsOut.readRecordsToList().forEach(r -> sources.add(source(r)));
            h.sendImage("img", h.png("a.png", 32, 32));
            h.pumpUntil(1);
            h.labelsOut.readRecordsToList().forEach(r -> sources.add(source(r)));
            h.heatmapsOut.readRecordsToList().forEach(r -> sources.add(source(r)));
            assertThat(sources).containsExactly("fgclip2.label-definitions:0:0", "fgclip2.images:0:0",
                    "fgclip2.images:0:0");
        }
    }

    private static String source(TestRecord<String, byte[]> r) {
        return new String(r.headers().lastHeader(SourceHeader.NAME).value(), StandardCharsets.UTF_8);
    }
}
