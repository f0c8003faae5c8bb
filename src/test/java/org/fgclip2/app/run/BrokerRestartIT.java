package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fgclip2.app.config.AppConfig;
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

/** The broker goes away and comes back while the application labels: it recovers, and exactly once holds. */
@ExtendWith(LocalSchemaRegistryExtension.class)
class BrokerRestartIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void aBrokerRestartDuringProcessingLosesAndDuplicatesNothing(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("broker-restart-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("batch.max-size", "4");
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uris.add(fixture.writeImage("i" + i + ".png", TestImages.png(64, 40 + 8 * i, i)));
        }
        int total = 200;
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            events.add(PipelineFixture.event("img-" + i, uris.get(i % uris.size())));
        }
        try (LabelingApp app = LabelingApp.start(new AppConfig(settings))) {
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.sendImages(events);
            assertThat(fixture.readLabels(20, Duration.ofSeconds(120))).hasSizeGreaterThanOrEqualTo(20);
            KAFKA.broker().restart();

            List<ImageLabels> all = fixture.readLabels(total, Duration.ofSeconds(240));
            Map<String, Long> perImage = all.stream().collect(
                    Collectors.groupingBy(ImageLabels::getImageId, Collectors.counting()));
            assertThat(perImage).hasSize(total);
            assertThat(perImage.values()).allMatch(n -> n == 1);
            assertThat(fixture.readLabels(total + 1, Duration.ofSeconds(5))).hasSize(total);
            assertThat(app.alive()).isTrue();
        }
    }
}
