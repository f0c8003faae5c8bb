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
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
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
 * Records a hostile producer writes, on a real broker, against the application in a child JVM with the production
 * settings: each becomes exactly one dead letter that fits its topic and says why, and everything else around them
 * is labelled exactly once, with the instance ready all along.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class HostileInputIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void everyHostileRecordBecomesOneDeadLetterAndEverythingElseIsLabelledOnce(LocalSchemaRegistry registry)
            throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        HostileRecords hostile = new HostileRecords(fixture.avro);
        Map<String, String> settings = new HashMap<>(fixture.settings("hostile-it"));
        String uri = fixture.writeImage("a.png", TestImages.png(48, 40, 2));
        try (AppProcess app = AppProcess.run(settings, dir, "hostile")) {
            app.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat", "一只猫"), "dog", List.of("a dog")), null);

            // label definitions: one far beyond the limits (~750 KB), a 22-byte length bomb, and a large allowed one
            LabelDefinition huge = HostileRecords.hugeDefinition("huge", 5000, 150);
            fixture.clients.produce("fgclip2.label-definitions", new StringSerializer(),
                    fixture.avro.specific(LabelDefinition.class, false).serializer(), List.of(KeyValue.pair("huge", huge)));
            fixture.clients.produce("fgclip2.label-definitions", new StringSerializer(), new ByteArraySerializer(),
                    List.of(KeyValue.pair("bomb", hostile.promptsBomb())));
            LabelDefinition large = HostileRecords.hugeDefinition("large", 64, 200);
            large.setLabelSet("large-set");
            fixture.clients.produce("fgclip2.label-definitions", new StringSerializer(),
                    fixture.avro.specific(LabelDefinition.class, false).serializer(), List.of(KeyValue.pair("large", large)));

            List<ImageEvent> good = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                good.add(PipelineFixture.event("good-" + i, uri));
            }
            fixture.sendImages(good.subList(0, 20));
            fixture.sendImages(List.of(HostileRecords.hugeUri("huge-uri", 600_000),
                    ImageEvent.newBuilder().setId("typo-set").setUri(uri).setLabelSet("defualt").build(),
                    ImageEvent.newBuilder().setId("i".repeat(2000)).setUri(uri).build(),
                    HostileRecords.withAttribute("fat-attributes", uri, 70_000)));
            fixture.clients.produce("fgclip2.images", new StringSerializer(), new ByteArraySerializer(), List.of(
                    KeyValue.pair("bad-utf8", hostile.imageEventWithId(new byte[] {'i', (byte) 0xC3, 0x28}, uri)),
                    KeyValue.pair("attributes-bomb", hostile.attributesBomb("attributes-bomb")),
                    KeyValue.pair("not-avro", HostileRecords.utf8("{\"id\": \"json\", \"uri\": \"" + uri + "\"}")),
                    KeyValue.pair("some-other-key", fixture.avro.specific(ImageEvent.class, false).serializer()
                            .serialize("fgclip2.images", PipelineFixture.event("keyed-by-id", uri)))));
            fixture.sendImages(good.subList(20, 40));

            List<ConsumerRecord<String, byte[]>> labelRecords = fixture.readRaw("fgclip2.image-labels", 41,
                    Duration.ofSeconds(120));
            Map<String, Long> labelled = labelRecords.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.counting()));
            assertThat(labelled).as("every good event labelled, keyed by its id").hasSize(41)
                    .containsKey("keyed-by-id").doesNotContainKey("some-other-key");
            assertThat(labelled.values()).as("exactly once").allMatch(n -> n == 1);

            fixture.readRaw("fgclip2.dead-letters", 9, Duration.ofSeconds(120));
            List<ConsumerRecord<String, byte[]>> letters = fixture.readRaw("fgclip2.dead-letters", 10,
                    Duration.ofSeconds(5));
            var deserializer = fixture.avro.specific(DeadLetter.class, false).deserializer();
            Map<String, DeadLetter> byKey = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : letters) {
                assertThat(r.serializedValueSize() + r.serializedKeySize()).as("fits a 1 MB topic").isLessThan(1_000_000);
                byKey.merge(r.key().length() > 40 ? "long-id" : r.key(), deserializer.deserialize(r.topic(), r.value()),
                        (a, b) -> { throw new AssertionError("two dead letters for " + r.key()); });
            }
            assertThat(byKey).containsOnlyKeys("huge", "bomb", "huge-uri", "typo-set", "long-id", "fat-attributes",
                    "bad-utf8", "attributes-bomb", "not-avro");
            assertThat(byKey.get("huge").getStage()).isEqualTo(Stage.DESERIALIZE);
            assertThat(byKey.get("huge").getReason()).contains("5000 prompts").contains("labels.max-prompts");
            assertThat(byKey.get("huge").getTruncated()).isTrue();
            assertThat(byKey.get("bomb").getReason()).contains("claims 2147483639 items");
            assertThat(byKey.get("huge-uri").getStage()).isEqualTo(Stage.FETCH);
            assertThat(byKey.get("huge-uri").getTruncated()).isTrue();
            assertThat(byKey.get("huge-uri").getValueLength()).isGreaterThan(600_000);
            assertThat(byKey.get("typo-set").getStage()).isEqualTo(Stage.LABELS);
            assertThat(byKey.get("typo-set").getReason()).contains("'defualt'");
            assertThat(byKey.get("long-id").getReason()).contains("image id is 2000 bytes");
            assertThat(byKey.get("fat-attributes").getReason()).contains("attributes take");
            assertThat(byKey.get("bad-utf8").getReason()).contains("not valid UTF-8");
            assertThat(byKey.get("attributes-bomb").getReason()).contains("claims 2147483639 entries");
            assertThat(byKey.get("not-avro").getReason()).contains("magic byte");

            fixture.awaitEmbedded(Set.of("large"));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.httpPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(app.logText()).doesNotContain("stream thread failed").doesNotContain("OutOfMemoryError");
        }
    }
}
