package org.fgclip2.app.localkafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Waits until a freshly started broker serves what the app needs. A listening port is not enough: the
 * transaction coordinator comes up later, and exactly-once Streams apps started before it block in
 * {@code InitProducerId}.
 */
final class BrokerReadiness {

    private static final String PROBE_TRANSACTIONAL_ID = "fgclip2-local-broker-readiness-probe";

    private BrokerReadiness() {
    }

    /** Returns once the broker answers metadata requests and a transactional producer can initialize. */
    static void await(String bootstrapServers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitCluster(bootstrapServers, deadline, timeout);
        awaitTransactionCoordinator(bootstrapServers, deadline, timeout);
    }

    private static void awaitCluster(String bootstrapServers, long deadline, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millisLeft(deadline)))
                    .nodes().get(millisLeft(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalKafkaBrokerException("the Kafka broker at " + bootstrapServers
                    + " did not answer a describeCluster request within " + timeout
                    + "; see the broker's WARN/ERROR log lines above", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalKafkaBrokerException("interrupted while waiting for the Kafka broker to start", e);
        }
    }

    private static void awaitTransactionCoordinator(String bootstrapServers, long deadline, Duration timeout) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, PROBE_TRANSACTIONAL_ID,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millisLeft(deadline));
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
        } catch (KafkaException e) {
            throw new LocalKafkaBrokerException("the Kafka broker at " + bootstrapServers
                    + " started but its transaction coordinator did not become available within " + timeout
                    + "; on one node transaction.state.log.replication.factor and transaction.state.log.min.isr"
                    + " must be 1", e);
        }
    }

    private static int millisLeft(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
