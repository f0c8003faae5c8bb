package org.fgclip2.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;

/**
 * Short-lived producers and consumers for tests against a real broker: write records and wait for the
 * acknowledgements, read committed records until enough arrived.
 */
public final class KafkaTestClients {

    private final String bootstrapServers;

    /** @param bootstrapServers e.g. {@code LocalKafkaBroker#bootstrapServers()} */
    public KafkaTestClients(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Settings every test producer needs; add serializers or a transactional id as you like. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * Settings of a consumer that reads only committed records from the beginning, in a group of its own and
     * without committing offsets.
     */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-consumer-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /** Writes the records in order and returns once the broker has acknowledged all of them. */
    public <K, V> void produce(String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                               List<KeyValue<K, V>> records) {
        try (var producer = new KafkaProducer<>(producerConfig(), keySerializer, valueSerializer)) {
            for (KeyValue<K, V> record : records) {
                producer.send(new ProducerRecord<>(topic, record.key, record.value));
            }
            producer.flush();
        }
    }

    public void produceStrings(String topic, List<KeyValue<String, String>> records) {
        produce(topic, new StringSerializer(), new StringSerializer(), records);
    }

    public void produceBytes(String topic, List<KeyValue<byte[], byte[]>> records) {
        produce(topic, new ByteArraySerializer(), new ByteArraySerializer(), records);
    }

    /**
     * Reads committed records of {@code topic} from its beginning until at least {@code count} arrived or the
     * timeout passed, and returns what arrived; the caller asserts on it. The topic need not exist yet.
     */
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, Deserializer<K> keyDeserializer,
                                                     Deserializer<V> valueDeserializer, int count,
                                                     Duration timeout) {
        return consume(consumerConfig(), topic, keyDeserializer, valueDeserializer, count, timeout);
    }

    /** Like {@link #consume(String, Deserializer, Deserializer, int, Duration)} with your consumer config. */
    public <K, V> List<ConsumerRecord<K, V>> consume(Map<String, Object> consumerConfig, String topic,
                                                     Deserializer<K> keyDeserializer,
                                                     Deserializer<V> valueDeserializer, int count,
                                                     Duration timeout) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(consumerConfig, keyDeserializer, valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            }
        }
        return received;
    }

    public List<ConsumerRecord<String, String>> consumeStrings(String topic, int count, Duration timeout) {
        return consume(topic, new StringDeserializer(), new StringDeserializer(), count, timeout);
    }

    public List<ConsumerRecord<byte[], byte[]>> consumeBytes(String topic, int count, Duration timeout) {
        return consume(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), count, timeout);
    }
}
