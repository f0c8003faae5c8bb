package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.LabelScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label definitions are embedded by the stream thread's batcher a few prompts at a time, between image batches and
 * within the same time budget: a large definition spreads over several rounds and never stalls the images.
 */
class LabelEmbeddingRoundsTest {

    @TempDir
    Path tmp;

    private static LabelDefinition label(String id, int prompts) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < prompts; i++) {
            texts.add("prompt number " + i + " of " + id);
        }
        return LabelDefinition.newBuilder().setLabelId(id).setLabelSet("default").setPrompts(texts).build();
    }

    @Test
    void aLargeDefinitionSpreadsOverRoundsWhileImagesAreLabelled() throws Exception {
        // a budget this small lets each round run one batch or one label step: the rounds are countable
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "batch.time-budget", "1ms"));
        try (TopologyHarness h = new TopologyHarness(tmp, settings)) {
            h.defineLabel("default", "cat", 0f, "a cat");
            h.captionsOut.readRecordsToList();
            h.define(label("big", 6 * LabelJob.PROMPTS_PER_STEP));
            h.sendImage("img", h.png("a.png", 32, 32));
            int rounds = 0;
            boolean labelledWhileBigWaited = false;
            while (h.labelsPending() && rounds < 200) {
                h.driver.advanceWallClockTime(Duration.ofMillis(20));
                rounds++;
                if (h.labelsOut.getQueueSize() > 0 && h.labelsPending()) {
                    labelledWhileBigWaited = true;
                }
            }
            assertThat(rounds).as("one step per round: 6 prompt steps, 6 region prompt steps and the box prompt")
                    .isGreaterThanOrEqualTo(13);
            assertThat(labelledWhileBigWaited).as("the image did not wait for the large label").isTrue();
            List<ImageLabels> labels = h.labels();
            assertThat(labels.get(0).getLabels()).extracting(LabelScore::getLabelId).containsExactly("cat");
            assertThat(h.captionsOut.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("big");
        }
    }

    @Test
    void embeddingInStepsGivesTheVectorsOfOneForward() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
            LabelDefinition big = label("big", 2 * LabelJob.PROMPTS_PER_STEP + 3);
            h.define(big);
            h.pumpLabels();
            CaptionEmbeddings stepped = h.avro.specific(CaptionEmbeddings.class, false).deserializer()
                    .deserialize("fgclip2.caption-embeddings", h.captionsOut.readValue());
            CaptionEmbeddings whole = new CaptionEmbedder(h.inference).embed(big, Instant.EPOCH);
            assertThat(stepped.getEmbeddings()).hasSize(big.getPrompts().size());
            for (int i = 0; i < whole.getEmbeddings().size(); i++) {
                List<Float> a = stepped.getEmbeddings().get(i);
                List<Float> b = whole.getEmbeddings().get(i);
                for (int j = 0; j < a.size(); j++) {
                    assertThat(a.get(j)).as("prompt %d, dimension %d", i, j).isCloseTo(b.get(j),
                            Offset.offset(1e-6f));
                }
            }
            assertThat(stepped.getBoxEmbedding()).isEqualTo(whole.getBoxEmbedding());
            assertThat(stepped.getRegionEmbeddings()).as("no box prompt: every prompt in the box walk, for regions")
                    .hasSize(big.getPrompts().size());
            for (int i = 0; i < whole.getRegionEmbeddings().size(); i++) {
                List<Float> a = stepped.getRegionEmbeddings().get(i);
                List<Float> b = whole.getRegionEmbeddings().get(i);
                for (int j = 0; j < a.size(); j++) {
                    assertThat(a.get(j)).as("region prompt %d, dimension %d", i, j).isCloseTo(b.get(j),
                            Offset.offset(1e-6f));
                }
            }
        }
    }

    @Test
    void aLabelWithABoxPromptOrOnePromptScoresRegionsByItsBoxEmbedding() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
            LabelDefinition boxed = LabelDefinition.newBuilder(label("boxed", 3)).setBoxPrompt("a box").build();
            h.define(boxed);
            h.define(label("single", 1));
            h.pumpLabels();
            var deserializer = h.avro.specific(CaptionEmbeddings.class, false).deserializer();
            for (var kv : h.captionsOut.readKeyValuesToList()) {
                CaptionEmbeddings e = deserializer.deserialize("fgclip2.caption-embeddings", kv.value);
                assertThat(e.getRegionEmbeddings()).as(kv.key).isEmpty();
                LabelEntry entry = CaptionEmbedder.entryOf(e, 0.3f);
                assertThat(entry.regionEmbeddings()).as(kv.key).hasNumberOfRows(1);
                assertThat(entry.regionEmbeddings()[0]).isEqualTo(entry.boxEmbedding());
            }
        }
    }

    @Test
    void aNewerDefinitionOrADeleteReplacesTheOneStillQueued() throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0", "batch.time-budget", "1ms"));
        try (TopologyHarness h = new TopologyHarness(tmp, settings)) {
            h.define(label("a", 3 * LabelJob.PROMPTS_PER_STEP));
            h.define(label("a", 1));
            h.define(label("b", 3 * LabelJob.PROMPTS_PER_STEP));
            h.deleteLabel("b");
            h.pumpLabels();
            var out = h.captionsOut.readKeyValuesToList();
            assertThat(out).extracting(kv -> kv.key).containsExactly("b", "a");
            assertThat(out.get(0).value).as("the delete of b").isNull();
            CaptionEmbeddings a = h.avro.specific(CaptionEmbeddings.class, false).deserializer()
                    .deserialize("fgclip2.caption-embeddings", out.get(1).value);
            assertThat(a.getPrompts()).hasSize(1);
        }
    }
}
