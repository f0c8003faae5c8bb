package org.fgclip2.testing;

import java.util.Map;
import org.fgclip2.app.localkafka.LocalKafkaBroker;
import org.fgclip2.app.localkafka.TopicSpec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class, started before the first test and closed after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 * }</pre>
 *
 * <p>Register it on a static field; JUnit calls class-level callbacks only for those. Tests of one class share
 * the broker, so give each test its own topic names.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final LocalKafkaBroker.Setup options;
    private LocalKafkaBroker broker;

    /** A broker with {@link LocalKafkaBroker.Setup#defaults()}. */
    public KafkaBrokerExtension() {
        this(LocalKafkaBroker.Setup.defaults());
    }

    public KafkaBrokerExtension(LocalKafkaBroker.Setup options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = LocalKafkaBroker.start(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker, e.g. to {@link LocalKafkaBroker#restart() restart} it. */
    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("no broker: register KafkaBrokerExtension on a static field");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates a topic that deletes old segments. */
    public void createTopic(String topic, int partitions) {
        createTopics(Map.of(topic, TopicSpec.of(partitions)));
    }

    public void createTopics(Map<String, TopicSpec> topics) {
        TopicSpec.create(broker(), topics);
    }

    /** Producers and consumers connected to this broker. */
    public KafkaTestClients clients() {
        return new KafkaTestClients(bootstrapServers());
    }
}

