package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * How fast labelling resumes after a crash, with the default settings and a persistent state directory, on a real
 * broker with the application in child JVMs killed with SIGKILL. A restarted instance rejoins under its static
 * membership id and reuses its transactional ids; the partitions of an instance gone for good move to the others
 * after the group's session timeout. The times are printed (they go in docs/benchmarks.md); the assertions are
 * generous bounds only, and exactly once is checked on the way.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class RecoveryIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void aKilledInstanceLabelsAgainSoonAfterItsRestart(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = settings(fixture, "recovery-restart-it");
        String uri = fixture.writeImage("a.png", TestImages.png(48, 48, 1));
        try (AppProcess first = AppProcess.run(settings, dir, "before-kill")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.sendImages(PipelineFixture.events("restart-before", 30, uri));
            awaitLabelled(fixture, "restart-before-", 30);
            fixture.sendImages(PipelineFixture.events("restart-in-flight", 30, uri));
            first.kill();
        }
        long restarted = System.nanoTime();
        LocalTime restartedAt = LocalTime.now();
        try (AppProcess second = AppProcess.run(settings, dir, "after-restart",
                List.of("-Dfgclip2.kafka.log.level=" + System.getProperty("recovery.kafka.log", "WARN")))) {
            fixture.sendImages(PipelineFixture.events("restart-probe", 6, uri));
            double seconds = secondsUntilLabelled(fixture, "restart-probe-", 6, restarted);
            System.out.printf("RECOVERY restart-to-labelling: %.1f s (start of the new JVM to the last of 6 probe"
                    + " events labelled)%n", seconds);
            assertThat(seconds).as("labelling resumed after the restart").isLessThan(90);
            timeline(second, restartedAt);
            assertExactlyOnce(fixture, "restart-", 66);
            assertThat(second.alive()).isTrue();
        }
    }

    @Test
    void thePartitionsOfAnInstanceGoneForGoodMoveToTheOthers(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        String uri = fixture.writeImage("a.png", TestImages.png(48, 48, 1));
        Map<String, String> a = settings(fixture, "recovery-takeover-it");
        Map<String, String> b = new HashMap<>(a);
        b.put("state.dir", dir.resolve("state-b").toString());
        try (AppProcess first = AppProcess.run(a, dir, "instance-a");
             AppProcess second = AppProcess.run(b, dir, "instance-b")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            second.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.sendImages(PipelineFixture.events("takeover-before", 30, uri));
            awaitLabelled(fixture, "takeover-before-", 30);
            first.kill();
            long killed = System.nanoTime();
            LocalTime killedAt = LocalTime.now();
            fixture.sendImages(PipelineFixture.events("takeover-probe", 12, uri));
            double seconds = secondsUntilLabelled(fixture, "takeover-probe-", 12, killed);
            System.out.printf("RECOVERY takeover: %.1f s (SIGKILL of one of two instances to the last of 12 probe"
                    + " events, over all partitions, labelled by the other)%n", seconds);
            assertThat(seconds).as("the other instance took the partitions over").isLessThan(120);
            timeline(second, killedAt);
            assertExactlyOnce(fixture, "takeover-", 42);
            assertThat(second.alive()).isTrue();
        }
    }

    /** The fixture's settings and the production defaults otherwise (session timeout, heartbeat, membership). */
    private Map<String, String> settings(PipelineFixture fixture, String applicationId) {
        Map<String, String> settings = new HashMap<>(fixture.settings(applicationId));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("topics.partitions", "6");
        settings.remove("kafka.commit.interval.ms");
        return settings;
    }


    /**
     * Seconds from {@code since} until {@code count} events whose id starts with {@code prefix} are labelled, as one
     * read_committed consumer assigned to every partition of the labels topic sees them.
     */
    private static double secondsUntilLabelled(PipelineFixture fixture, String prefix, int count, long since) {
        Map<String, Object> config = fixture.clients.consumerConfig();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        var deserializer = fixture.avro.specific(ImageLabels.class, false).deserializer();
        Set<String> labelled = new HashSet<>();
        long deadline = since + Duration.ofSeconds(180).toNanos();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor("fgclip2.image-labels").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.value().getImageId().startsWith(prefix)) {
                        labelled.add(record.value().getImageId());
                    }
                }
                if (labelled.size() >= count) {
                    return (System.nanoTime() - since) / 1e9;
                }
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static void awaitLabelled(PipelineFixture fixture, String prefix, int count) {
        assertThat(secondsUntilLabelled(fixture, prefix, count, System.nanoTime())).as("%d %s* labelled", count, prefix)
                .isFinite();
    }

    private static void assertExactlyOnce(PipelineFixture fixture, String prefix, int total) {
        List<ImageLabels> all = fixture.readLabels(Integer.MAX_VALUE, Duration.ofSeconds(5));
        Map<String, Long> perImage = all.stream().filter(l -> l.getImageId().startsWith(prefix))
                .collect(Collectors.groupingBy(ImageLabels::getImageId, Collectors.counting()));
        assertThat(perImage).as("every event labelled").hasSize(total);
        assertThat(perImage.values()).as("exactly once").allMatch(n -> n == 1);
    }

    /** What the surviving instance logged about its start and its group, in seconds since {@code since}. */
    private static void timeline(AppProcess app, LocalTime since) throws IOException {
        if (System.getProperty("recovery.kafka.log") != null) {
            System.out.println(app.logText());
            return;
        }
        app.logText().lines().filter(l -> l.contains("configuration:") || l.contains("-> ")
                || l.contains("model ") || l.contains("static group")).forEach(l -> {
            double at = Duration.between(since, LocalTime.parse(l.substring(0, 12))).toMillis() / 1e3;
            System.out.printf("  %+6.1f s %s%n", at, l.substring(13, Math.min(l.length(), 160)));
        });
    }
}
