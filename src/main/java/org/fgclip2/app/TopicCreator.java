package org.fgclip2.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.fgclip2.topology.TopicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics that do not exist yet; the two label topics are compacted (a label's latest
 * definition and embeddings are all that matter, and the global store is rebuilt from the embeddings topic).
 */
final class TopicCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    static void createMissing(Admin admin, String bootstrapServers, TopicNames topics, int partitions,
                              short replication) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : List.of(topics.images(), topics.imageLabels(), topics.regionHeatmaps(), topics.deadLetters())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication));
                }
            }
            for (String t : List.of(topics.labelDefinitions(), topics.captionEmbeddings())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication).configs(compacted));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to check topics: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }
}
