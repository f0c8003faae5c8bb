package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pending store is what keeps an accepted image across a crash once its offset is committed: Kafka will not
 * deliver it again, only the store's changelog brings it back.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class PendingStoreRestoreIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void imagesAcceptedButNotYetBatchedComeBackFromThePendingStore(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("pending-store-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("batch.max-size", "1000");
        settings.put("batch.max-in-progress", "1000");
        settings.put("batch.max-wait", "10m");
        settings.put("kafka.commit.interval.ms", "100");
        String uri = fixture.writeImage("a.png", TestImages.png(64, 64, 1));

        try (AppProcess first = AppProcess.run(settings, dir, "holding")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            // The first image of a bucket runs alone (the batch sizer has not measured it yet) ...
            fixture.sendImages(List.of(PipelineFixture.event("calibrate", uri)));
            assertThat(fixture.readLabels(1, Duration.ofSeconds(60))).hasSize(1);
            // ... the next ones wait for a batch that neither fills nor times out.
            List<ImageEvent> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(PipelineFixture.event("held-" + i, uri));
            }
            fixture.sendImages(held);
            awaitCommittedOffsets("pending-store-it", 11);
            assertThat(fixture.readLabels(2, Duration.ofSeconds(2))).as("nothing labelled yet").hasSize(1);
            first.kill();
        }
        // Their offsets are committed: Kafka will not deliver them again. Only the restored store can.
        settings.put("batch.max-wait", "20ms");
        try (AppProcess second = AppProcess.run(settings, dir, "restored")) {
            List<ImageLabels> all = fixture.readLabels(11, Duration.ofSeconds(120));
            assertThat(all).extracting(ImageLabels::getImageId).containsExactlyInAnyOrder("calibrate",
                    "held-0", "held-1", "held-2", "held-3", "held-4", "held-5", "held-6", "held-7", "held-8", "held-9");
            assertThat(fixture.readLabels(12, Duration.ofSeconds(5))).hasSize(11);
        }
    }

    private static void awaitCommittedOffsets(String group, long total) throws Exception {
        try (var admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()
                        .stream().filter(e -> e.getKey().topic().equals("fgclip2.images") && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= total) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("offsets of " + group + " committed up to " + committed + ", expected " + total);
        }
    }

}
