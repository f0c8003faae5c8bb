package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Exactly once across a crash: the application (a child JVM) is killed with SIGKILL while it is labelling, then
 * started again; a read_committed consumer sees exactly one ImageLabels record per input event — none lost from
 * the batch that was in flight, none duplicated by the restart.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class ExactlyOnceKillIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void sigkillInTheMiddleOfABatchLosesAndDuplicatesNothing(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("exactly-once-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("batch.max-size", "8");
        settings.put("batch.max-wait", "200ms");
        settings.put("kafka.commit.interval.ms", "500");

        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uris.add(fixture.writeImage("i" + i + ".png", TestImages.png(48 + 16 * i, 64, i)));
        }
        int total = 400;
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            events.add(PipelineFixture.event("img-" + i, uris.get(i % uris.size())));
        }

        try (AppProcess first = AppProcess.run(settings, dir, "first")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat"), "dog", List.of("a dog")), null);
            fixture.sendImages(events);
            // Let it get some way in, so the crash hits work in flight rather than an idle app.
            List<ImageLabels> before = fixture.readLabels(40, Duration.ofSeconds(120));
            assertThat(before).as("labelled before the crash").hasSizeGreaterThanOrEqualTo(40);
            first.kill();
        }
        int seenBeforeRestart = fixture.readLabels(total, Duration.ofSeconds(3)).size();
        assertThat(seenBeforeRestart).as("the crash happened before the work was done").isLessThan(total);

        try (AppProcess second = AppProcess.run(settings, dir, "second")) {
            List<ImageLabels> all = fixture.readLabels(total, Duration.ofSeconds(240));
            Map<String, Long> perImage = all.stream().collect(
                    Collectors.groupingBy(ImageLabels::getImageId, Collectors.counting()));
            assertThat(perImage).as("every event labelled").hasSize(total);
            assertThat(perImage.values()).as("exactly once").allMatch(n -> n == 1);
            // Nothing more trickles in later (a duplicate would arrive after the first copy).
            var records = fixture.readRaw("fgclip2.image-labels", total + 1, Duration.ofSeconds(5));
            Map<String, List<String>> where = records.stream().collect(Collectors.groupingBy(r -> r.key(),
                    Collectors.mapping(r -> r.partition() + "@" + r.offset(), Collectors.toList())));
            where.values().removeIf(l -> l.size() == 1);
            assertThat(where).as("duplicates (partition@offset); logs:\n%s\n%s", read(dir.resolve("first.log")),
                    read(dir.resolve("second.log"))).isEmpty();
            assertThat(records).hasSize(total);
            assertThat(second.alive()).isTrue();
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "(no " + p + ")";
    }
}
