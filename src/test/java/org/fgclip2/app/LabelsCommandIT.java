package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.app.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fgclip2.app.CliTest.Run;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labels load / list} as an operator runs them, against a real broker and the real schema registry; the
 * topic is read back with a consumer of its own and our Avro deserializer. The tests build on each other in order:
 * load, load again, change with --prune (dry run first), a broken file, list and load back.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelsCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final String TOPIC = "fgclip2.label-definitions";

    @TempDir
    static Path dir;

    static String registryUrl;

    @BeforeAll
    static void registry(LocalSchemaRegistry registry) {
        registryUrl = registry.url().toString();
    }

    @Test
    @Order(1)
    void firstLoadAddsEveryLabelIntoANewCompactedTopic() throws Exception {
        Path file = write("labels.yaml", """
                labelSet: default
                defaultThreshold: 0.3
                labels:
                  - id: cat
                    prompts: ["a photo of a cat", "一只猫的照片"]
                    boxPrompt: cat
                    threshold: 0.25
                  - id: dog
                    prompts: ["a photo of a dog", "一只狗的照片"]
                  - id: car
                    prompts: ["a red car parked on a narrow street in the rain", "雨中停在窄街上的红色汽车"]
                    long: true
                """);

        Run run = labels("load", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("added   cat", "added   dog", "added   car");
        assertThat(run.lastLine()).isEqualTo("label set 'default' in " + TOPIC + ": added 3, changed 0, unchanged 0, deleted 0");
        assertThat(run.err()).contains("created topic " + TOPIC);
        assertThat(cleanupPolicy()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(latestPerKey()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cat", label("cat", "default", List.of("a photo of a cat", "一只猫的照片"), "cat", 0.25f, false),
                "dog", label("dog", "default", List.of("a photo of a dog", "一只狗的照片"), null, 0.3f, false),
                "car", label("car", "default", List.of("a red car parked on a narrow street in the rain",
                        "雨中停在窄街上的红色汽车"), null, 0.3f, true)));

        Path street = write("street.csv", "\uFEFFid,prompts,threshold\r\nbus,\"a bus, seen from the side|公共汽车\",0.4\r\n");
        Run other = labels("load", street.toString(), "--label-set", "street");
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(other.lastLine()).isEqualTo("label set 'street' in " + TOPIC + ": added 1, changed 0, unchanged 0, deleted 0");
        assertThat(latestPerKey()).containsEntry("bus",
                label("bus", "street", List.of("a bus, seen from the side", "公共汽车"), null, 0.4f, false));
    }

    @Test
    @Order(2)
    void loadingTheSameFileAgainSendsNothing() throws Exception {
        int before = records().size();

        Run run = labels("load", dir.resolve("labels.yaml").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("label set 'default' in " + TOPIC + ": added 0, changed 0, unchanged 3, deleted 0");
        assertThat(records()).hasSize(before);
    }

    @Test
    @Order(3)
    void dryRunPrintsWhatPruneWouldDoAndSendsNothing() throws Exception {
        int before = records().size();
        Map<String, LabelDefinition> state = latestPerKey();

        Run run = labels("load", changedFile().toString(), "--prune", "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("changed cat (threshold)", "added   bird", "deleted car");
        assertThat(run.out()).doesNotContain("dog", "bus");
        assertThat(run.lastLine()).isEqualTo("dry run, nothing sent; label set 'default' in " + TOPIC
                + " would get: added 1, changed 1, unchanged 1, deleted 1");
        assertThat(records()).hasSize(before);
        assertThat(latestPerKey()).isEqualTo(state);
    }

    @Test
    @Order(4)
    void pruneMakesTheLabelSetExactlyTheFileAndLeavesOtherSetsAlone() throws Exception {
        int before = records().size();

        Run run = labels("load", changedFile().toString(), "--prune");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("changed cat (threshold)", "added   bird", "deleted car");
        assertThat(run.lastLine()).isEqualTo("label set 'default' in " + TOPIC + ": added 1, changed 1, unchanged 1, deleted 1");
        List<ConsumerRecord<String, LabelDefinition>> records = records();
        assertThat(records).hasSize(before + 3);
        ConsumerRecord<String, LabelDefinition> lastOfCar = records.stream().filter(r -> r.key().equals("car"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastOfCar.value()).as("car is deleted by a tombstone").isNull();
        assertThat(latestPerKey()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cat", label("cat", "default", List.of("a photo of a cat", "一只猫的照片"), "cat", 0.5f, false),
                "dog", label("dog", "default", List.of("a photo of a dog", "一只狗的照片"), null, 0.3f, false),
                "bird", label("bird", "default", List.of("a bird, flying", "一只鸟"), null, null, false),
                "bus", label("bus", "street", List.of("a bus, seen from the side", "公共汽车"), null, 0.4f, false)));
    }

    @Test
    @Order(5)
    void aFileWithProblemsIsRefusedWholeWithExitCode2() throws Exception {
        int before = records().size();
        Path file = write("broken.csv", """
                id,prompts,threshold
                cat,a cat,1.5
                fish,,
                cat,another cat,
                ok,a fine label,
                """);

        Run run = labels("load", file.toString(), "--prune");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("3 problems; no label was sent", "line 2 (id 'cat'): threshold 1.5 is outside [0, 1]",
                "line 3 (id 'fish'): no prompts", "line 4 (id 'cat'): the id is used twice, first at line 2");
        assertThat(records()).hasSize(before);
    }

    @Test
    @Order(6)
    void listPrintsALabelFileThatLoadsBackUnchanged() throws Exception {
        Run list = labels("list", "--label-set", "default");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("labelSet: default", "一只猫的照片");
        Path listed = write("listed.yaml", list.out());

        Run load = labels("load", listed.toString(), "--prune");

        assertThat(load.exitCode()).as(load.err()).isZero();
        assertThat(load.lastLine()).endsWith("added 0, changed 0, unchanged 3, deleted 0");

        Run all = labels("list");
        assertThat(all.out()).contains("labelSet: default", "labelSet: street", "---");
    }

    @Test
    @Order(7)
    void aFailingSchemaRegistryStopsTheLoadBeforeAnythingIsSent() throws Exception {
        int before = records().size();
        Path file = write("new-label.yaml", "labels: [{id: fox, prompts: [a fox, 一只狐狸]}]\n");

        Run run = run("labels", "load", file.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--schema-registry-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: the schema registry at http://127.0.0.1:1 failed")
                .contains("nothing was sent");
        assertThat(records()).hasSize(before);
    }

    @Test
    @Order(8)
    void settingsComeFromTheConfigFileAsForRun() throws Exception {
        Path config = write("app.yaml", """
                bootstrap.servers: %s
                schema.registry.url: %s
                topics:
                  label-definitions: team-a.labels
                  partitions: 2
                """.formatted(KAFKA.bootstrapServers(), registryUrl));
        Path file = write("team-a.yaml", "labels: [{id: fox, prompts: [a fox, 一只狐狸]}]\n");

        Run run = run("labels", "load", file.toString(), "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastLine()).isEqualTo("label set 'default' in team-a.labels: added 1, changed 0, unchanged 0, deleted 0");
        assertThat(records("team-a.labels")).extracting(ConsumerRecord::key).containsExactly("fox");
        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of("team-a.labels")).allTopicNames().get().get("team-a.labels")
                    .partitions()).hasSize(2);
        }
    }

    /** The default set after a change: cat's threshold, dog as it was, car gone, bird new. */
    private static Path changedFile() throws Exception {
        return write("labels-v2.csv", """
                id,prompts,boxPrompt,threshold,long
                cat,a photo of a cat|一只猫的照片,cat,0.5,false
                dog,a photo of a dog | 一只狗的照片,,0.3,
                bird,"a bird, flying|一只鸟",,,
                """);
    }

    /** {@code labels ARGS} connected to the test broker and registry. */
    private static Run labels(String... args) {
        return run(Stream.concat(Stream.concat(Stream.of("labels"), Stream.of(args)),
                Stream.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--schema-registry-url", registryUrl))
                .toArray(String[]::new));
    }

    private static Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static LabelDefinition label(String id, String set, List<String> prompts, String boxPrompt, Float threshold,
                                         boolean longWalk) {
        return LabelDefinition.newBuilder().setLabelId(id).setLabelSet(set).setPrompts(prompts).setBoxPrompt(boxPrompt)
                .setThreshold(threshold).setLong$(longWalk).build();
    }

    private static Map<String, LabelDefinition> latestPerKey() {
        Map<String, LabelDefinition> latest = new HashMap<>();
        for (ConsumerRecord<String, LabelDefinition> r : records()) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return latest;
    }

    private static List<ConsumerRecord<String, LabelDefinition>> records() {
        return records(TOPIC);
    }

    /** Every committed record of the topic, in order per partition, read up to the end offsets. */
    private static List<ConsumerRecord<String, LabelDefinition>> records(String topic) {
        Map<String, Object> config = KAFKA.clients().consumerConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "labels-it-" + UUID.randomUUID());
        var avro = ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(registryUrl));
        List<ConsumerRecord<String, LabelDefinition>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                avro.specific(LabelDefinition.class, false).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return Admin.create(p);
    }

    private static String cleanupPolicy() throws Exception {
        try (Admin admin = admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        }
    }
}
