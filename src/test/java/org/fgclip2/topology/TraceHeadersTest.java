package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.LabelTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input record headers (W3C trace context and any others) arrive on every output about that input, each kind of
 * output in turn, followed by exactly one {@code fgclip2.source}: through the batcher, through the pending store,
 * for label definitions, for dead letters from every path.
 */
class TraceHeadersTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path tmp;

    /** A trace context, baggage, a header of the producer's own, and an upstream source header not to be carried. */
    private static Headers traced(String traceparent) {
        return new RecordHeaders()
                .add("traceparent", utf8(traceparent))
                .add("tracestate", utf8("vendor=opaque"))
                .add("baggage", utf8("tenant=acme,region=eu"))
                .add("x-request", new byte[] {0, 1, 2})
                .add(SourceHeader.NAME, utf8("upstream:9:9"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> rendered(Headers headers) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + (h.value() == null ? "null" : h.key().equals("x-request")
                    ? Arrays.toString(h.value()) : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The headers of {@link #traced}, then our source header naming {@code topic:partition:offset}. */
    private static List<String> carried(String traceparent, String source) {
        return List.of("traceparent=" + traceparent, "tracestate=vendor=opaque", "baggage=tenant=acme,region=eu",
                "x-request=[0, 1, 2]", SourceHeader.NAME + "=" + source);
    }

    @Test
    void labelsHeatmapsAndEmbeddingsOfAnImageCarryItsHeaders() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("embeddings.publish", "true"))) {
            h.defineLabel("default", "dog", 0f, "a photo of a dog");
            h.sendImage(ImageEvent.newBuilder().setId("img-1").setUri(h.png("a.png", 64, 48)).setHeatmaps(true)
                    .build(), traced(TRACEPARENT));
            h.pumpUntil(1);
            var embeddings = h.driver.createOutputTopic("fgclip2.image-embeddings", Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());

            List<String> expected = carried(TRACEPARENT, "fgclip2.images:0:0");
            List<TestRecord<String, byte[]>> labels = h.labelsOut.readRecordsToList();
            List<TestRecord<String, byte[]>> heatmaps = h.heatmapsOut.readRecordsToList();
            List<TestRecord<String, byte[]>> vectors = embeddings.readRecordsToList();
            assertThat(labels).hasSize(1);
            assertThat(heatmaps).hasSize(1);
            assertThat(vectors).hasSize(1);
            for (var r : List.of(labels.get(0), heatmaps.get(0), vectors.get(0))) {
                assertThat(rendered(r.headers())).as("in order, the upstream source header replaced by ours")
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void deadLettersOfEveryPathCarryTheHeadersOfTheirInput() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of())) {
            h.defineLabel("default", "dog", null, "a dog");
            h.sendRaw("garbage", utf8("{\"id\": \"x\"}"), traced(TRACEPARENT));
            h.sendImage(ImageEvent.newBuilder().setId("missing").setUri(h.images.resolve("nope.png").toUri()
                    .toString()).build(), traced(TRACEPARENT));
            h.sendImage(ImageEvent.newBuilder().setId("no-set").setUri(h.png("a.png", 30, 30)).setLabelSet("nobody")
                    .build(), traced(TRACEPARENT));
            h.pumpUntil(3);

            Map<String, List<String>> byKey = new HashMap<>();
            h.deadLettersOut.readRecordsToList().forEach(r -> byKey.put(r.key(), rendered(r.headers())));
            assertThat(byKey).as("DESERIALIZE in process, FETCH in the batcher, LABELS with the batch's results")
                    .containsOnlyKeys("garbage", "missing", "no-set");
            assertThat(byKey.get("garbage")).containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.images:0:0"));
            assertThat(byKey.get("missing")).containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.images:0:1"));
            assertThat(byKey.get("no-set")).containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.images:0:2"));
        }
    }

    @Test
    void captionEmbeddingsTombstonesAndDeadLettersOfLabelDefinitionsCarryTheirHeaders() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of())) {
            h.define("cat", LabelDefinition.newBuilder().setLabelId("cat").setLabelSet("default")
                    .setPrompts(List.of("a cat")).build(), traced(TRACEPARENT));
            h.pumpLabels();
            h.define("dog", LabelDefinition.newBuilder().setLabelId("not-dog").setLabelSet("default")
                    .setPrompts(List.of("a dog")).build(), traced(TRACEPARENT));
            h.define("cat", null, traced(TRACEPARENT));

            List<TestRecord<String, byte[]>> captions = h.captionsOut.readRecordsToList();
            assertThat(captions).extracting(r -> r.value() == null).containsExactly(false, true);
            assertThat(rendered(captions.get(0).headers()))
                    .containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.label-definitions:0:0"));
            assertThat(rendered(captions.get(1).headers())).as("the deletion's tombstone")
                    .containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.label-definitions:0:2"));
            var letters = h.deadLettersOut.readRecordsToList();
            assertThat(letters).hasSize(1);
            assertThat(rendered(letters.get(0).headers())).as("a definition keyed other than by its id")
                    .containsExactlyElementsOf(carried(TRACEPARENT, "fgclip2.label-definitions:0:1"));
        }
    }

    @Test
    void imagesDeferredInThePendingStoreKeepTheirOwnHeaders() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("batch.max-size", "1", "batch.max-in-progress", "1"))) {
            h.defineLabel("default", "dog", null, "a dog");
            for (int i = 0; i < 3; i++) {
                h.sendImage(ImageEvent.newBuilder().setId("img-" + i).setUri(h.png(i + ".png", 30 + 8 * i, 30))
                        .build(), new RecordHeaders().add("traceparent", utf8(traceparent(i))));
            }
            h.pumpUntil(3);
            Map<String, List<String>> byKey = new HashMap<>();
            h.labelsOut.readRecordsToList().forEach(r -> byKey.put(r.key(), rendered(r.headers())));
            for (int i = 0; i < 3; i++) {
                assertThat(byKey.get("img-" + i)).containsExactly("traceparent=" + traceparent(i),
                        SourceHeader.NAME + "=fgclip2.images:0:" + i);
            }
        }
    }

    private static String traceparent(int i) {
        return "00-" + "0".repeat(31) + (i + 1) + "-00f067aa0ba902b7-01";
    }

    @Test
    void aHeaderBeyondTheCarriedBytesIsLeftOutAndTheOthersStillCarried() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of())) {
            h.defineLabel("default", "dog", null, "a dog");
            Headers headers = new RecordHeaders()
                    .add("huge", new byte[OutputHeaders.MAX_CARRIED_BYTES])
                    .add("traceparent", utf8(TRACEPARENT))
                    .add("empty", null);
            h.sendImage(ImageEvent.newBuilder().setId("img").setUri(h.png("a.png", 30, 30)).build(), headers);
            h.pumpUntil(1);
            assertThat(rendered(h.labelsOut.readRecord().headers())).containsExactly("traceparent=" + TRACEPARENT,
                    "empty=null", SourceHeader.NAME + "=fgclip2.images:0:0");
        }
    }

    @Test
    void reLabelledRecordsHaveNoInputAndCarryNoHeaders() throws Exception {
        try (TopologyHarness h = TopologyHarness.onStreamThread(tmp, Map.of("heatmaps.max-per-image", "0"))) {
            h.defineLabel("default", "cat", 1f, "a photo of a cat");
            h.sendImage(ImageEvent.newBuilder().setId("img").setUri(h.png("a.png", 30, 30)).build(),
                    traced(TRACEPARENT));
            h.pumpUntil(1);
            assertThat(h.labelsOut.readRecord().headers().lastHeader("traceparent")).isNotNull();

            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            for (int i = 0; i < 40; i++) {
                h.driver.advanceWallClockTime(Duration.ofMillis(200));
            }
            TestRecord<String, byte[]> again = h.labelsOut.readRecord();
            ImageLabels relabelled = h.services.imageLabelsReader().apply(again.value());
            assertThat(relabelled.getTrigger()).isEqualTo(LabelTrigger.LABELS_CHANGED);
            assertThat(again.headers().toArray()).isEmpty();
        }
    }
}
