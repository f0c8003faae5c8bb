package org.fgclip2.app.localkafka;

import java.util.HashMap;
import java.util.Map;

/**
 * How to create one topic on the local broker. The replication factor is always 1: there is only one broker.
 *
 * @param partitions number of partitions, at least 1
 * @param compacted whether the topic keeps only the latest record per key ({@code cleanup.policy=compact})
 * @param config further topic configs, e.g. {@code retention.ms}
 */
public record TopicSpec(int partitions, boolean compacted, Map<String, String> config) {

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

    /** All topic configs to send to the broker, including the cleanup policy. */
    Map<String, String> topicConfigs() {
        Map<String, String> all = new HashMap<>(config);
        all.put("cleanup.policy", compacted ? "compact" : "delete");
        return all;
    }
}
