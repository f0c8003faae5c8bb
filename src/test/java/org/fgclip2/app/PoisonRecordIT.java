package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.Stage;
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
 * A record whose processing fails its stream thread, every time: here an image whose labels the broker refuses,
 * because an operator lowered the topic's {@code max.message.bytes} after the instance learned the limits. Under
 * exactly-once the refused record aborts the transaction, and Kafka Streams reads the same input again. The
 * instance blames the input, replaces the thread after a pause (answering 503 on {@code /health/ready} meanwhile),
 * and dead-letters the input the second time: the records around it are labelled exactly once. And when threads
 * fail more often than the instance tolerates, the process exits with status 1 for its orchestrator.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class PoisonRecordIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void aRecordThatFailsItsThreadIsDeadLetteredTheSecondTimeAndTheRestFlows(LocalSchemaRegistry registry)
            throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("poison-it"));
        settings.put("heatmaps.max-per-image", "0");
        String uri = fixture.writeImage("a.png", TestImages.png(40, 40, 3));
        try (AppProcess app = AppProcess.run(settings, dir, "poison")) {
            app.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.sendImages(PipelineFixture.events("warm", 5, uri));
            assertThat(fixture.readLabels(5, Duration.ofSeconds(60))).hasSize(5);
            lowerTopicLimit("fgclip2.image-labels", 8_000);

            ReadinessWatch watch = ReadinessWatch.start(app.httpPort());
            List<ImageEvent> events = new ArrayList<>(PipelineFixture.events("before", 5, uri));
            events.add(HostileRecords.withAttribute("poison", uri, 20_000));
            events.addAll(PipelineFixture.events("after", 5, uri));
            fixture.sendImages(events);

            DeadLetter letter = fixture.readDeadLetters(1, Duration.ofSeconds(120)).get(0);
            assertThat(letter.getImageId()).isEqualTo("poison");
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("failed before").contains("fgclip2.image-labels");
            fixture.readLabels(15, Duration.ofSeconds(60));
            List<ImageLabels> labels = fixture.readLabels(16, Duration.ofSeconds(5));
            Map<String, Long> perImage = labels.stream().collect(Collectors.groupingBy(ImageLabels::getImageId,
                    Collectors.counting()));
            assertThat(perImage).as("everything but the poison labelled").hasSize(15).doesNotContainKey("poison");
            assertThat(perImage.values()).as("exactly once").allMatch(n -> n == 1);
            assertThat(app.logText()).contains("stream thread failed (1 of 5 tolerated");
            watch.stop();
            assertThat(watch.notReady.get()).as("/health/ready said why while the thread was replaced")
                    .contains("stream thread failed");
            assertThat(app.alive()).isTrue();
        }
    }

    /** On topics of its own: the other test lowers the limit of the shared labels topic. */
    @Test
    void threadsFailingMoreThanToleratedEndTheProcessWithStatusOne(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("poison-exit-it"));
        settings.put("heatmaps.max-per-image", "0");
        settings.put("streams.max-thread-failures", "0");
        settings.put("topics.images", "exit-it.images");
        settings.put("topics.image-labels", "exit-it.image-labels");
        String uri = fixture.writeImage("a.png", TestImages.png(40, 40, 3));
        try (AppProcess app = AppProcess.run(settings, dir, "poison-exit")) {
            app.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            lowerTopicLimit("exit-it.image-labels", 8_000);
            fixture.clients.produce("exit-it.images", new StringSerializer(),
                    fixture.avro.specific(ImageEvent.class, false).serializer(),
                    List.of(KeyValue.pair("poison-exit", HostileRecords.withAttribute("poison-exit", uri, 20_000))));
            assertThat(app.awaitExit(Duration.ofSeconds(120))).as(app.logText()).isEqualTo(1);
            assertThat(app.logText()).contains("Kafka Streams stopped in state ERROR");
        }
    }


    private static void lowerTopicLimit(String name, int bytes) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", String.valueOf(bytes)), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    /** Polls {@code /health/ready} in the background and keeps every reason it gave for not being ready. */
    private static final class ReadinessWatch {
        final AtomicReference<String> notReady = new AtomicReference<>("");
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private ReadinessWatch(int port) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .build();
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 503 && !notReady.get().contains(r.body())) {
                            notReady.set(notReady.get() + r.body() + "\n");
                        }
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "readiness-watch");
            thread.setDaemon(true);
            thread.start();
        }

        static ReadinessWatch start(int port) {
            return new ReadinessWatch(port);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
