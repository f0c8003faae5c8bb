package org.fgclip2.app.localkafka;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The plain clients the developer tools use with a broker: string keys and values serialised by the caller (Avro
 * through the registry), so one producer and one consumer serve every topic.
 */
public final class LocalKafkaClients {

    /** Kafka's own default: records sent together within 5 ms share a request. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);

    private LocalKafkaClients() {
    }

    /**
     * A producer whose records are on every replica when acknowledged, each once.
     *
     * @param linger how long a record may wait for others to share its request; zero when send time is measured
     */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers, Duration linger) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer in a group of its own that reads from the start and sees only committed records: the application
     * writes its outputs in transactions, and what a reader sees of an aborted one never happened.
     *
     * @param groupPrefix names the tool in the broker's group list; a random suffix keeps each run apart
     */
    public static KafkaConsumer<String, byte[]> readCommittedConsumer(String bootstrapServers, String groupPrefix) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
