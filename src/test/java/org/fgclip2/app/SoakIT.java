package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.HostileRecords;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak on a real broker: 10 000 events (override with {@code -Dsoak.events=N}), one in ten hostile, of ten
 * kinds, against the application in a child JVM, produced in ten rounds that keep a backlog of two rounds ahead of
 * the app. Every event is accounted for exactly once — labelled, or dead-lettered — and the process's resident
 * memory stays flat from the first round of events to the last. The RSS samples and the rate are printed (they go
 * in docs/benchmarks.md); the memory bound is generous.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class SoakIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void everyEventIsAccountedForExactlyOnceAndMemoryStaysFlat(LocalSchemaRegistry registry) throws Exception {
        int total = Integer.getInteger("soak.events", 10_000);
        int rounds = 10;
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        HostileRecords hostile = new HostileRecords(fixture.avro);
        Map<String, String> settings = new HashMap<>(fixture.settings("soak-it"));
        settings.put("heatmaps.max-per-image", "0");
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uris.add(fixture.writeImage("good-" + i + ".png", TestImages.png(32 + 16 * i, 48, i)));
        }
        String corrupt = fixture.writeImage("corrupt.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4});
        String missing = fixture.images.resolve("missing.png").toUri().toString();
        Set<String> expected = new HashSet<>();
        List<Long> rss = new ArrayList<>();
        // a fixed, pre-touched heap: what the resident memory does then is what the application does, not the
        // collector growing the heap towards -Xmx
        try (AppProcess app = AppProcess.run(settings, dir, "soak", List.of("-Xms384m", "-Xmx384m",
                "-XX:+AlwaysPreTouch"));
             Accounting accounting = new Accounting(fixture)) {
            app.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat", "一只猫"), "dog", List.of("a dog")), null);
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                List<KeyValue<String, byte[]>> records = new ArrayList<>();
                for (int i = round * total / rounds; i < (round + 1) * total / rounds; i++) {
                    String key = "e-" + i;
                    expected.add(key);
                    records.add(KeyValue.pair(key, i % 10 == 9
                            ? hostileRecord(hostile, key, i / 10, uris.get(0), corrupt, missing, fixture)
                            : event(fixture, PipelineFixture.event(key, uris.get(i % uris.size())))));
                }
                fixture.clients.produce("fgclip2.images", new StringSerializer(), new ByteArraySerializer(), records);
                // two rounds stay unaccounted for: a backlog far beyond batch.max-in-progress waits in the app
                accounting.awaitCount(expected.size() - 2 * total / rounds, Duration.ofSeconds(300));
                rss.add(rssKib(app.pid()));
            }
            accounting.awaitCount(expected.size(), Duration.ofSeconds(300));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("SOAK %d events (%d hostile) in %.0f s, %.0f events/s; RSS KiB after each round: %s%n",
                    total, total / 10, seconds, total / seconds, rss);

            accounting.drain(Duration.ofSeconds(5));
            assertThat(accounting.duplicates).as("accounted for more than once").isEmpty();
            assertThat(accounting.both).as("both labelled and dead-lettered").isEmpty();
            assertThat(accounting.seen).as("every event accounted for").isEqualTo(expected);
            assertThat(accounting.deadLettered).as("exactly the hostile ones dead-lettered").hasSize(total / 10);
            // the first round warms up (engine, stores, clients); from there on, memory must hold still
            assertThat(rss.get(rss.size() - 1)).as("RSS flat (KiB after each round: %s)", rss)
                    .isLessThan(rss.get(1) * 5 / 4);
            assertThat(app.logText()).doesNotContain("stream thread failed");
        }
    }

    private static byte[] event(PipelineFixture fixture, ImageEvent event) {
        return fixture.avro.specific(ImageEvent.class, false).serializer().serialize("fgclip2.images", event);
    }

    /** One of ten kinds of hostile record, in turn. */
    private static byte[] hostileRecord(HostileRecords hostile, String key, int n, String uri, String corrupt,
                                        String missing, PipelineFixture fixture) {
        return switch (n % 10) {
            case 0 -> event(fixture, HostileRecords.hugeUri(key, 100_000));
            case 1 -> hostile.imageEventWithId(new byte[] {'x', (byte) 0xC3, 0x28}, uri);
            case 2 -> hostile.attributesBomb(key);
            case 3 -> event(fixture, ImageEvent.newBuilder().setId(key).setUri(uri).setLabelSet("no-such-set").build());
            case 4 -> HostileRecords.utf8("{\"id\": \"" + key + "\"}");
            case 5 -> event(fixture, PipelineFixture.event(key, missing));
            case 6 -> event(fixture, PipelineFixture.event(key, corrupt));
            case 7 -> event(fixture, PipelineFixture.event(key, "http://169.254.169.254/latest/meta-data"));
            case 8 -> event(fixture, ImageEvent.newBuilder().setId("i".repeat(1500)).setUri(uri).build());
            default -> event(fixture, HostileRecords.withAttribute(key, uri, 80_000));
        };
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** Which events came out, labelled or dead-lettered, read by one consumer of both topics as they arrive. */
    private static final class Accounting implements AutoCloseable {
        final Set<String> seen = new HashSet<>();
        final Set<String> deadLettered = new HashSet<>();
        final Set<String> duplicates = new HashSet<>();
        final Set<String> both = new HashSet<>();
        private final Set<String> labelled = new HashSet<>();
        private final KafkaConsumer<String, byte[]> consumer;

        Accounting(PipelineFixture fixture) {
            Map<String, Object> config = fixture.clients.consumerConfig();
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("fgclip2.image-labels", "fgclip2.dead-letters")) {
                for (int p = 0; p < 3; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void awaitCount(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                poll();
            }
            assertThat(seen.size()).as("events accounted for within %s", timeout).isGreaterThanOrEqualTo(count);
        }

        void drain(Duration quiet) {
            long deadline = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < deadline) {
                poll();
            }
        }

        private void poll() {
            for (var r : consumer.poll(Duration.ofMillis(100))) {
                boolean label = r.topic().equals("fgclip2.image-labels");
                // a dead letter of an event whose id is unusable is keyed by the record key, "e-N"
                String key = r.key().startsWith("e-") ? r.key() : "?" + r.key();
                if (!(label ? labelled : deadLettered).add(key)) {
                    duplicates.add(key);
                }
                if (labelled.contains(key) && deadLettered.contains(key)) {
                    both.add(key);
                }
                seen.add(key);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
