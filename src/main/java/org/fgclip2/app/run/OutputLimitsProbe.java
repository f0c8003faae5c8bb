package org.fgclip2.app.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.fgclip2.topology.OutputLimits;
import org.fgclip2.topology.TopicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns at start how large a record the application may publish: the producer's {@code max.request.size} and,
 * per output topic, its {@code max.message.bytes}; topics that do not exist yet (the stores' changelogs before the
 * first start) get the broker's {@code message.max.bytes}. Where the cluster does not answer (no permission to
 * describe configurations), Kafka's defaults are assumed and the log says so.
 */
final class OutputLimitsProbe {
    private static final Logger LOG = LoggerFactory.getLogger(OutputLimitsProbe.class);

    private OutputLimitsProbe() {
    }

    /** @param maxRequest the producer's {@code max.request.size} */
    static OutputLimits learn(Admin admin, int maxRequest, TopicNames topics) throws InterruptedException {
        List<String> outputs = topics.outputs();
        List<ConfigResource> resources = new ArrayList<>();
        outputs.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<String, Integer> limits = new HashMap<>();
        int brokerDefault = OutputLimits.KAFKA_DEFAULT;
        try {
            String broker = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().idString();
            resources.add(new ConfigResource(ConfigResource.Type.BROKER, broker));
            var described = admin.describeConfigs(resources).values();
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> e : described.entrySet()) {
                Config config;
                try {
                    config = e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException missing) {
                    if (missing.getCause() instanceof UnknownTopicOrPartitionException) {
                        continue; // created later, with the broker's default
                    }
                    throw missing;
                }
                if (e.getKey().type() == ConfigResource.Type.BROKER) {
                    brokerDefault = bytes(config.get("message.max.bytes"), brokerDefault);
                } else {
                    limits.put(e.getKey().name(), Math.min(maxRequest,
                            bytes(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), maxRequest)));
                }
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            limits.clear();
            LOG.warn("cannot read the topics' max.message.bytes ({}); assuming Kafka's defaults. Outputs larger than"
                    + " the real limits would fail the stream thread once each before they are dead-lettered",
                    e instanceof ExecutionException ? e.getCause().toString() : e.toString());
        }
        OutputLimits learned = new OutputLimits(limits, Math.min(maxRequest, brokerDefault));
        LOG.info("largest records: {} (other topics: {} bytes)", limits, learned.otherTopics());
        return learned;
    }

    private static int bytes(ConfigEntry entry, int fallback) {
        if (entry == null || entry.value() == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(entry.value().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
