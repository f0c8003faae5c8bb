package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Images of different partitions (tasks) owned by one stream thread go through the model in one batch. */
@ExtendWith(LocalSchemaRegistryExtension.class)
class CrossPartitionBatchingIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void oneBatchHoldsImagesOfEveryPartition(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("cross-partition-it"));
        settings.put("batch.max-size", "6");
        settings.put("batch.max-wait", "30s");
        settings.put("heatmaps.max-per-image", "0");
        String uri = fixture.writeImage("a.png", TestImages.png(64, 64, 3));
        try (LabelingApp app = LabelingApp.start(new AppConfig(settings))) {
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.sendImages(List.of(PipelineFixture.event("warm-up", uri)));
            assertThat(fixture.readLabels(1, Duration.ofSeconds(60))).hasSize(1);

            // Six ids spread over the three partitions (the default partitioner hashes the key with murmur2).
            List<ImageEvent> events = new ArrayList<>();
            Set<Integer> partitions = new HashSet<>();
            for (int i = 0; events.size() < 6; i++) {
                String id = "img-" + i;
                int partition = Utils.toPositive(Utils.murmur2(id.getBytes())) % 3;
                if (partitions.size() < 3 && partitions.contains(partition) && events.size() >= 3) {
                    continue;
                }
                partitions.add(partition);
                events.add(PipelineFixture.event(id, uri));
            }
            assertThat(partitions).hasSize(3);
            fixture.sendImages(events);
            // max-wait is 30 s: only a full batch of 6 runs before that
            assertThat(fixture.readLabels(7, Duration.ofSeconds(25))).hasSize(7);
            DistributionSummary sizes = app.metrics().find("fgclip2.batch.size").summary();
            assertThat(sizes.max()).isEqualTo(6.0);
        }
    }
}
