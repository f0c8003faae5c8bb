package org.fgclip2.app.labels;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.WireFormatException;

/**
 * The compacted label-definitions topic as the {@code labels} command uses it: read to its end (committed records
 * only) as the latest value per key, and written in one transaction, so a load is applied whole or not at all.
 * Values are Avro in the Confluent wire format through the configured schema registry; keys are the label ids.
 */
public final class LabelDefinitionsTopic {

    /** How long to wait for the cluster to answer at all. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long reading the whole topic may take. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final AppConfig config;
    private final String topic;
    private final Serde<LabelDefinition> serde;

    public LabelDefinitionsTopic(AppConfig config) {
        this.config = config;
        this.topic = config.topics().labelDefinitions();
        this.serde = ConfluentAvroSerdes.connect(config.avro()).specific(LabelDefinition.class, false);
    }

    public String name() {
        return topic;
    }

    /** What the topic holds now; nothing when it does not exist yet. */
    public CurrentLabels read() {
        Map<String, LabelDefinition> byId = new HashMap<>();
        Map<String, String> unreadable = new HashMap<>();
        latestValues().forEach((key, value) -> {
            try {
                byId.put(key, serde.deserializer().deserialize(topic, value));
            } catch (RuntimeException e) {
                if (e instanceof WireFormatException w && isRegistryDown(w)) {
                    throw registryUnavailable(w);
                }
                unreadable.put(key, e.getMessage() != null ? e.getMessage() : e.toString());
            }
        });
        return new CurrentLabels(byId, unreadable);
    }

    /** The latest value of every key whose latest record is not a tombstone, read up to the end offsets. */
    private Map<String, byte[]> latestValues() {
        Properties p = config.clientProperties(ConsumerConfig.configNames());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fgclip2-labels-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Map<String, byte[]> latest = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, CONNECT_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return latest;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            // read_committed: the end is the last stable offset, so an open transaction is not waited for
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, CONNECT_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!assigned.stream().allMatch(tp -> consumer.position(tp, CONNECT_TIMEOUT) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading topic " + topic + " to its end took longer than "
                            + READ_TIMEOUT.toMinutes() + " minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        latest.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        }
        latest.values().removeIf(Objects::isNull);
        return latest;
    }

    /**
     * Sends every change of the plan in one transaction: the new definitions, and a tombstone per deletion. The
     * values are serialized first, so a schema registry problem stops the load before anything is written. Creates
     * the topic, compacted, when it is missing and {@code topics.create} allows.
     *
     * @return whether the topic had to be created
     */
    public boolean apply(LabelPlan plan) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (LabelPlan.Change c : plan.toSend()) {
            byte[] value;
            try {
                value = c.definition() == null ? null : serde.serializer().serialize(topic, c.definition());
            } catch (WireFormatException e) {
                throw isRegistryDown(e) ? registryUnavailable(e) : e;
            }
            records.add(new ProducerRecord<>(topic, c.labelId(), value));
        }
        if (records.isEmpty()) {
            return false;
        }
        boolean created = createIfMissing();
        Properties p = config.clientProperties(ProducerConfig.configNames());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fgclip2-labels-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // one id per topic: a second load that starts meanwhile fences this one instead of interleaving with it
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fgclip2-labels-" + topic);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(CONNECT_TIMEOUT.toMillis()));
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                records.forEach(producer::send);
                producer.commitTransaction();
            } catch (ProducerFencedException e) {
                throw new IllegalStateException("another 'labels load' into " + topic + " started while this one"
                        + " was sending; this load was not applied", e);
            } catch (KafkaException e) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException abortFailed) {
                    e.addSuppressed(abortFailed);
                }
                throw new IllegalStateException("sending to " + topic + " failed, nothing of this load was applied: "
                        + Reasons.of(e), e);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.string("bootstrap.servers") + " did not complete the"
                    + " transaction within " + CONNECT_TIMEOUT.toSeconds() + " s (" + Reasons.of(e) + "); the cluster"
                    + " must support transactions (a single broker needs transaction.state.log.replication.factor=1"
                    + " and transaction.state.log.min.isr=1); loading the file again is safe", e);
        }
        return created;
    }

    private boolean createIfMissing() {
        try (Admin admin = Admin.create(config.clientProperties(AdminClientConfig.configNames()))) {
            if (admin.listTopics().names().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic)) {
                return false;
            }
            if (!config.bool("topics.create")) {
                throw new UserInputException("topic " + topic + " does not exist and topics.create is false: create"
                        + " it with cleanup.policy=compact, or allow topics.create");
            }
            NewTopic compacted = new NewTopic(topic, config.integer("topics.partitions"),
                    (short) config.integer("topics.replication"))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(compacted)).all().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw new IllegalStateException("cannot create topic " + topic + ": " + Reasons.of(e.getCause()),
                        e.getCause());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + topic, e);
        }
    }

    private static boolean isRegistryDown(WireFormatException e) {
        return e.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE
                || e.reason() == WireFormatException.Reason.REGISTRY_ERROR;
    }

    private UserInputException registryUnavailable(WireFormatException e) {
        return new UserInputException("the schema registry at " + config.string("schema.registry.url") + " failed ("
                + e.getMessage() + "); check schema.registry.url (--schema-registry-url) and its credentials;"
                + " nothing was sent", e);
    }

    private UserInputException unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new UserInputException("cannot reach Kafka at " + config.string("bootstrap.servers") + " within "
                + CONNECT_TIMEOUT.toSeconds() + " s (" + Reasons.of(cause) + "); check bootstrap.servers"
                + " (--bootstrap-servers) and that the cluster is up", e);
    }
}
