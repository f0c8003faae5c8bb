package org.fgclip2.app.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.fgclip2.app.cli.EnvironmentException;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.topology.TopicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the application's topics exist before it starts: creates those that do not exist yet, or, where the
 * application may not create topics, names the missing ones (Kafka Streams would otherwise wait for them in
 * REBALANCING without a word). The two label topics are compacted (a label's latest definition and embeddings are
 * all that matter, and the global store is rebuilt from the embeddings topic).
 */
final class TopicCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    /** @param cacheAge how long the embedding cache topic keeps a record (its entries are not used after) */
    static void createMissing(Admin admin, String bootstrapServers, TopicNames topics, int partitions,
                              short replication, Duration cacheAge) throws InterruptedException {
        Set<String> existing = existing(admin, bootstrapServers);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<String> compactedTopics = List.of(topics.labelDefinitions(), topics.captionEmbeddings());
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics.all()) {
            if (!existing.contains(t)) {
                NewTopic topic = new NewTopic(t, partitions, replication);
                if (compactedTopics.contains(t)) {
                    topic.configs(compacted);
                } else if (t.equals(topics.embeddingCache())) {
                    topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                            + TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG,
                            String.valueOf(cacheAge.toMillis())));
                }
                missing.add(topic);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> names = missing.stream().map(NewTopic::name).toList();
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.info("created topics {}", names);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EnvironmentException("cannot create topics " + names + " on Kafka at " + bootstrapServers
                        + ": " + Reasons.of(e.getCause()) + "; create them (docs/deployment.md), or check"
                        + " topics.replication (FGCLIP2_TOPICS_REPLICATION) and this client's ACLs", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new EnvironmentException("Kafka at " + bootstrapServers + " did not create topics " + names
                    + " within 30 s; create them (docs/deployment.md)", e);
        }
    }

    /** Fails, naming them, if any of the application's topics does not exist. */
    static void requireExisting(Admin admin, String bootstrapServers, TopicNames topics) throws InterruptedException {
        Set<String> existing = existing(admin, bootstrapServers);
        List<String> missing = topics.all().stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new EnvironmentException("topics missing on Kafka at " + bootstrapServers + ": "
                    + String.join(", ", missing) + "; create them (docs/deployment.md) or set topics.create=true"
                    + " (FGCLIP2_TOPICS_CREATE)");
        }
    }

    private static Set<String> existing(Admin admin, String bootstrapServers) throws InterruptedException {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new EnvironmentException("Kafka at " + bootstrapServers + " did not list its topics: "
                    + Reasons.of(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new EnvironmentException("Kafka at " + bootstrapServers + " did not list its topics within 30 s", e);
        }
    }
}
