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

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER)
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
            waitForLog(first, "-> RUNNING", Duration.ofSeconds(120));
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
            var records = fixture.clients.consume("fgclip2.image-labels", new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(), total + 1, Duration.ofSeconds(5));
            Map<String, List<String>> where = records.stream().collect(Collectors.groupingBy(r -> r.key(),
                    Collectors.mapping(r -> r.partition() + "@" + r.offset(), Collectors.toList())));
            where.values().removeIf(l -> l.size() == 1);
            assertThat(where).as("duplicates (partition@offset); logs:\n%s\n%s", read(dir.resolve("first.log")),
                    read(dir.resolve("second.log"))).isEmpty();
            assertThat(second.alive()).isTrue();
        }
    }

    @Test
    void imagesAcceptedButNotYetBatchedComeBackFromThePendingStore(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new java.util.HashMap<>(fixture.settings("pending-store-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("batch.max-size", "1000");
        settings.put("batch.max-wait", "10m");
        settings.put("kafka.commit.interval.ms", "100");
        String uri = fixture.writeImage("a.png", TestImages.png(64, 64, 1));

        try (AppProcess first = AppProcess.run(settings, dir, "holding")) {
            waitForLog(first, "-> RUNNING", Duration.ofSeconds(120));
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

    private static String read(Path p) throws java.io.IOException {
        return java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p) : "(no " + p + ")";
    }

    private static void awaitCommittedOffsets(String group, long total) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
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

    private static void waitForLog(AppProcess app, String regex, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
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
