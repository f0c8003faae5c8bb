package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.heatmap.HeatmapKey;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heatmaps of a batch are written to the store at once, not one after the other. */
class HeatmapWritesTest {

    @TempDir
    Path tmp;

    /**
     * A store whose writes wait for one another: each write returns only once three are in progress together.
     * Written one after the other, the first would wait alone and fail (after the barrier's timeout, a safety net:
     * nothing here measures time).
     */
    private static final class MeetingStore implements HeatmapStore {
        private final CyclicBarrier meeting = new CyclicBarrier(3);

        @Override
        public URI put(HeatmapKey key, byte[] png) {
            try {
                meeting.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("writes did not meet: " + e, e);
            }
            return URI.create("memory:/" + key.imageId() + "/" + key.labelId() + ".png");
        }
    }

    @Test
    void theHeatmapsOfABatchAreWrittenTogether() throws Exception {
        var settings = TopologyHarness.settings(Map.of("fetch.threads", "0"));
        assertThat(settings.heatmapWriteThreads()).as("the default writes several at once").isGreaterThanOrEqualTo(3);
        try (TopologyHarness h = new TopologyHarness(tmp, settings,
                new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()), new MeetingStore())) {
            h.defineLabel("default", "cat", 0f, "a photo of a cat");
            h.defineLabel("default", "dog", 0f, "a photo of a dog");
            h.defineLabel("default", "car", 0f, "a car");
            h.sendImage("img", h.png("a.png", 48, 40));
            h.pumpUntil(1);

            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.heatmapRecords()).extracting(RegionHeatmap::getLabelId)
                    .containsExactlyInAnyOrder("cat", "dog", "car");
        }
    }
}
