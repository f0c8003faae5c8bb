package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        Map<String, String> settings = new java.util.HashMap<>(fixture.settings("exactly-once-it"));
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
            waitForLog(first, "progress\\|RUNNING", Duration.ofSeconds(120));
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
            assertThat(fixture.readLabels(total + 1, Duration.ofSeconds(5))).hasSize(total);
            assertThat(second.alive()).isTrue();
        }
    }

    private static void waitForLog(AppProcess app, String regex, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex.replace("\\|", "|"));
        while (System.nanoTime() < deadline) {
            if (p.matcher(app.logText()).find()) {
                return;
            }
            if (!app.alive()) {
                throw new AssertionError("app exited early:\n" + app.logText());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("app not running after " + timeout + ":\n" + app.logText());
    }

}
