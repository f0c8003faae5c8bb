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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.LabelTrigger;
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

    /** Ids of the images the re-labelling test sends: the broker and its topics are shared with the other test. */
    private static final String RELABELLED = "relabelled-";

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

    /**
     * The re-labelling after a label change is killed while its records are produced and not yet committed (a long
     * commit interval keeps its transaction open); the restarted instance re-scores from the committed entries, and
     * a read_committed consumer sees each retained image re-labelled exactly once. The embedding cache is on, so the
     * images scored from it are among them.
     */
    @Test
    void sigkillWhileReLabellingRelabelsEachImageExactlyOnce(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("relabel-kill-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("kafka.commit.interval.ms", "4000");
        // 4 pictures under 200 ids: most are repeats served from the embedding cache, and are retained as well
        settings.put("embeddings.cache.max-entries", "1000");
        int total = 200;
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uris.add(fixture.writeImage("r" + i + ".png", TestImages.png(40 + 24 * i, 56, i)));
        }
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            events.add(PipelineFixture.event(RELABELLED + i, uris.get(i % uris.size())));
        }
        Map<String, Object> uncommitted = new HashMap<>(fixture.clients.consumerConfig());
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");

        try (AppProcess first = AppProcess.run(settings, dir, "relabel-first")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat"), "dog", List.of("a dog")), 1f);
            fixture.sendImages(events);
            long labelled = 0;
            for (long until = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                 labelled < total && System.nanoTime() < until; ) {
                labelled = fixture.readLabels(Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                        .filter(l -> l.getImageId().startsWith(RELABELLED)).count();
            }
            assertThat(labelled).as("labelled before the change (the broker is shared with the other test)")
                    .isEqualTo(total);
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), 0f);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long produced = 0;
            while (produced <= total && System.nanoTime() < deadline) {
                produced = fixture.clients.consume(uncommitted, "fgclip2.image-labels", new StringDeserializer(),
                        new ByteArrayDeserializer(), Integer.MAX_VALUE, Duration.ofMillis(500)).stream()
                        .filter(r -> r.key().startsWith(RELABELLED)).count();
            }
            assertThat(produced).as("re-labelled records produced (not yet committed)").isGreaterThan(total);
            first.kill();
        }
        long committedBeforeRestart = relabelled(fixture, 2 * total, Duration.ofSeconds(3)).size();
        assertThat(committedBeforeRestart).as("the crash came before the re-labelling was committed")
                .isLessThan(total);

        try (AppProcess second = AppProcess.run(settings, dir, "relabel-second")) {
            List<ImageLabels> again = relabelled(fixture, total, Duration.ofSeconds(180));
            Map<String, Long> perImage = again.stream().collect(
                    Collectors.groupingBy(ImageLabels::getImageId, Collectors.counting()));
            assertThat(perImage).as("every retained image re-labelled").hasSize(total);
            assertThat(perImage.values()).as("exactly once").allMatch(n -> n == 1);
            assertThat(again).allSatisfy(l -> assertThat(l.getLabels()).filteredOn(s -> s.getLabelId().equals("cat"))
                    .allMatch(LabelScore::getPositive));
            assertThat(relabelled(fixture, total + 1, Duration.ofSeconds(8))).as("nothing more; logs:\n%s\n%s",
                    read(dir.resolve("relabel-first.log")), read(dir.resolve("relabel-second.log"))).hasSize(total);
            assertThat(second.alive()).isTrue();
        }
    }

    /** The committed re-labelled records (trigger LABELS_CHANGED) among the first {@code count} of them. */
    private static List<ImageLabels> relabelled(PipelineFixture fixture, int count, Duration timeout) {
        List<ImageLabels> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            out = fixture.readLabels(Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                    .filter(l -> l.getTrigger() == LabelTrigger.LABELS_CHANGED && l.getImageId().startsWith(RELABELLED))
                    .toList();
        } while (out.size() < count && System.nanoTime() < deadline);
        return out;
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "(no " + p + ")";
    }
}
