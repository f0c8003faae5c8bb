package org.fgclip2.app.localkafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server properties of a one-node KRaft cluster whose only node is both broker and controller.
 *
 * <p>Kafka's defaults assume three brokers; the internal topics below default to replication factor 3 (or a
 * minimum ISR above 1) and never become available on one node. Clients then hang rather than fail: an
 * exactly-once Streams app waits forever in {@code InitProducerId}.
 */
final class SingleNodeBrokerConfig {

    static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private SingleNodeBrokerConfig() {
    }

    /**
     * @param host the address both listeners bind to and the broker advertises to clients
     * @param brokerPort the port clients connect to
     * @param controllerPort the port of the KRaft controller (used only by the node itself)
     * @param logDirectory where the node keeps partition logs and the metadata log
     */
    static Map<String, String> properties(String host, int brokerPort, int controllerPort, Path logDirectory) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static voter set: the controller endpoint is not written into the metadata log, so a kept data
        // directory can be started again on other ports.
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDirectory.toAbsolutePath().toString());

        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");

        // Consumer groups and Streams apps join at once instead of waiting 3 s for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.streams.initial.rebalance.delay.ms", "0");
        // The log cleaner of compacted topics holds this buffer on the heap for the broker's lifetime; the
        // default 128 MiB is sized for production partitions, 8 MiB still compacts ~350k keys per pass.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));

        return props;
    }
}
