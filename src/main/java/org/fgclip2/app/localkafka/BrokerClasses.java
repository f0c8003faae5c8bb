package org.fgclip2.app.localkafka;

import org.fgclip2.app.cli.EnvironmentException;

/**
 * Whether this jar carries the Kafka broker. The all-in-one {@code fgclip2-streams.jar} does; the production jar,
 * {@code fgclip2-streams-runtime.jar}, leaves it out with Scala and the rest of what only the broker uses.
 */
public final class BrokerClasses {

    // The broker module's own entry point: present exactly when kafka_2.13 and its dependencies were packaged.
    private static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";

    private BrokerClasses() {
    }

    /**
     * Fails with what to do when {@code command}, which runs a broker in this process, starts from a jar without
     * one. Call it before any use of {@link LocalKafkaBroker}: that class links against the broker, and without it
     * the JVM would fail later with a {@link NoClassDefFoundError} that tells the user nothing.
     */
    public static void require(String command) {
        try {
            Class.forName(BROKER_CLASS, false, BrokerClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new EnvironmentException("'" + command + "' runs a Kafka broker in this process, which this lean"
                    + " runtime jar leaves out: run it with the all-in-one fgclip2-streams.jar that"
                    + " `mvn package` builds beside it");
        }
    }
}
