package org.fgclip2.app.localkafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How a test creates one topic on the local broker. The replication factor is always 1: there is only one broker.
 *
 * @param partitions number of partitions, at least 1
 * @param compacted whether the topic keeps only the latest record per key ({@code cleanup.policy=compact})
 * @param config further topic configs, e.g. {@code retention.ms}
 */
public record TopicSpec(int partitions, boolean compacted, Map<String, String> config) {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least 1 partition, got " + partitions);
        }
        config = Map.copyOf(config);
    }

    /** A topic with {@code partitions} partitions that deletes old segments (Kafka's default). */
    public static TopicSpec of(int partitions) {
        return new TopicSpec(partitions, false, Map.of());
    }

    /** A compacted topic with {@code partitions} partitions. */
    public static TopicSpec compacted(int partitions) {
        return new TopicSpec(partitions, true, Map.of());
    }

    /**
     * Creates topics with replication factor 1 and waits until the controller has created them.
     *
     * @throws LocalKafkaBrokerException if a topic exists already or the broker refuses it
     * @throws IllegalStateException if the broker is stopped
     */
    public static void create(LocalKafkaBroker broker, Map<String, TopicSpec> topics) {
        if (!broker.isRunning()) {
            throw new IllegalStateException("the broker at " + broker.bootstrapServers() + " is stopped; restart it"
                    + " first");
        }
        List<NewTopic> newTopics = topics.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue().partitions(), (short) 1)
                        .configs(e.getValue().topicConfigs()))
                .toList();
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            client.createTopics(newTopics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalKafkaBrokerException("could not create topics " + topics.keySet() + " on "
                    + broker.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalKafkaBrokerException("interrupted while creating topics " + topics.keySet(), e);
        }
    }

    /** All topic configs to send to the broker, including the cleanup policy. */
    Map<String, String> topicConfigs() {
        Map<String, String> all = new HashMap<>(config);
        all.put("cleanup.policy", compacted ? "compact" : "delete");
        return all;
    }
}
