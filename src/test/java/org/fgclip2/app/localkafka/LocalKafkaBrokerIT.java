package org.fgclip2.app.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void recordsProducedAreConsumedInOrder() {
        kafka.createTopic("plain", 1);
        List<KeyValue<String, String>> sent = List.of(
                KeyValue.pair("a", "first"), KeyValue.pair("b", "second"), KeyValue.pair("a", "third"));

        kafka.clients().produceStrings("plain", sent);

        assertThat(kafka.clients().consumeStrings("plain", 3, TIMEOUT))
                .extracting(r -> KeyValue.pair(r.key(), r.value()))
                .containsExactlyElementsOf(sent);
    }

    @Test
    void createdTopicsHaveTheRequestedPartitionsAndConfigs() throws Exception {
        kafka.createTopics(Map.of(
                "labels", new TopicSpec(3, true, Map.of("min.compaction.lag.ms", "1000")),
                "images", new TopicSpec(2, false, Map.of("retention.ms", "60000"))));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            var descriptions = admin.describeTopics(List.of("labels", "images")).allTopicNames().get();
            assertThat(descriptions.get("labels").partitions()).hasSize(3);
            assertThat(descriptions.get("images").partitions()).hasSize(2);

            var labels = new ConfigResource(ConfigResource.Type.TOPIC, "labels");
            var images = new ConfigResource(ConfigResource.Type.TOPIC, "images");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(labels, images)).all().get();
            assertThat(configs.get(labels).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(labels).get("min.compaction.lag.ms").value()).isEqualTo("1000");
            assertThat(configs.get(images).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(images).get("retention.ms").value()).isEqualTo("60000");
        }
    }

    @Test
    void readCommittedConsumersNeverSeeAbortedTransactions() {
        kafka.createTopic("transactional", 1);
        Map<String, Object> config = kafka.clients().producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "transactional-test");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "aborted-1"));
            producer.send(new ProducerRecord<>("transactional", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "committed-1"));
            producer.send(new ProducerRecord<>("transactional", "committed-2"));
            producer.commitTransaction();
        }

        assertThat(kafka.clients().consumeStrings("transactional", 2, TIMEOUT))
                .extracting(ConsumerRecord::value)
                .containsExactly("committed-1", "committed-2");
        assertThat(readUncommittedValues("transactional", 4))
                .as("the aborted records were written, only hidden")
                .containsExactly("aborted-1", "aborted-2", "committed-1", "committed-2");
    }

    @Test
    void exactlyOnceStreamsAppCopiesATopic(@TempDir Path stateDirectory) throws Exception {
        kafka.createTopic("copy-in", 2);
        kafka.createTopic("copy-out", 2);
        List<KeyValue<String, String>> sent = List.of(
                KeyValue.pair("k1", "v1"), KeyValue.pair("k2", "v2"), KeyValue.pair("k3", "v3"));
        kafka.clients().produceStrings("copy-in", sent);

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("copy-in").to("copy-out");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(stateDirectory))) {
            streams.start();

            List<ConsumerRecord<String, String>> copied = kafka.clients().consumeStrings("copy-out", 3, TIMEOUT);

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(copied)
                    .extracting(r -> KeyValue.pair(r.key(), r.value()))
                    .containsExactlyInAnyOrderElementsOf(sent);
            streams.close(TIMEOUT);
        }
    }

    private static Properties streamsConfig(Path stateDirectory) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "copy-app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return config;
    }

    private static List<String> readUncommittedValues(String topic, int count) {
        Map<String, Object> config = kafka.clients().consumerConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return kafka.clients()
                .consume(config, topic, new StringDeserializer(), new StringDeserializer(), count, TIMEOUT)
                .stream().map(ConsumerRecord::value).toList();
    }
}
