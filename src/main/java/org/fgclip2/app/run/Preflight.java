package org.fgclip2.app.run;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.topology.OutputLimits;

/**
 * Everything an instance can check before it loads the model (minutes, with a hub download): its settings, its
 * state directory, the brokers, its topics and the schema registry. What fails here needs a person, so it ends
 * the start with one line and exit status 2 instead of a restart loop. On the way it learns how large a record
 * each output topic takes.
 */
final class Preflight {
    private Preflight() {
    }

    /** @return the largest records the instance may publish */
    static OutputLimits check(AppConfig config) throws InterruptedException {
        config.validate();
        StateDirLock.requireFree(config);
        Duration timeout = config.duration("bootstrap.timeout");
        String servers = config.string("bootstrap.servers");
        OutputLimits limits;
        try (Admin admin = KafkaReachability.await(config, timeout)) {
            if (config.bool("topics.create")) {
                TopicCreator.createMissing(admin, servers, config.topics(), config.integer("topics.partitions"),
                        (short) config.integer("topics.replication"), config.embeddingCache().maxAge());
            } else {
                TopicCreator.requireExisting(admin, servers, config.topics());
            }
            limits = OutputLimitsProbe.learn(admin, config.maxRequestSize(), config.topics());
        }
        RegistryReachability.await(config, timeout);
        return limits;
    }
}
