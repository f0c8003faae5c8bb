package org.fgclip2.app.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.fgclip2.testing.KafkaTestClients;
import org.fgclip2.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and closing brokers: what close leaves behind, kept data directories, clear start failures. */
class LocalKafkaBrokerLifecycleIT {

    private static final Pattern KAFKA_THREAD = Pattern.compile("(?i).*(kafka|broker|controller|raft|coordinator).*");
    private static final Duration THREAD_EXIT_GRACE = Duration.ofSeconds(10);

    @Test
    void closeReleasesPortsThreadsAndTheTemporaryDirectory() throws Exception {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        LocalKafkaBroker broker = LocalKafkaBroker.start();
        Path directory = broker.dataDirectory();
        List<Integer> ports = List.of(broker.brokerPort(), broker.controllerPort());
        assertThat(directory).isDirectory();
        assertThat(ports).noneMatch(Ports::isFree);

        broker.close();

        assertThat(directory).doesNotExist();
        assertThat(ports).allMatch(Ports::isFree);
        assertThat(threadsLeftBehind(threadsBefore)).isEmpty();
    }

    @Test
    void closeIsIdempotentAndEnds() {
        LocalKafkaBroker broker = LocalKafkaBroker.start();

        broker.close();
        broker.close();

        assertThat(broker.isRunning()).isFalse();
        assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aGivenDataDirectoryIsKeptAndServesANewBroker(@TempDir Path directory) {
        var options = LocalKafkaBroker.Setup.defaults().withDataDirectory(directory);
        try (LocalKafkaBroker first = LocalKafkaBroker.start(options)) {
            TopicSpec.create(first, Map.of("kept", TopicSpec.of(1)));
            new KafkaTestClients(first.bootstrapServers())
                    .produceStrings("kept", List.of(KeyValue.pair("key", "written before close")));
        }
        assertThat(directory.resolve("server.properties")).isRegularFile();

        try (LocalKafkaBroker second = LocalKafkaBroker.start(options)) {
            var clients = new KafkaTestClients(second.bootstrapServers());
            assertThat(clients.consumeStrings("kept", 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("written before close");
        }
        assertThat(directory).isDirectory();
    }

    @Test
    void aFailedStartSaysWhyAndLeavesNothingRunning() throws Exception {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var defaults = LocalKafkaBroker.Setup.defaults();
            var options = new LocalKafkaBroker.Setup(defaults.dataDirectory(), defaults.host(), taken.getLocalPort(),
                    defaults.startTimeout(), defaults.closeOnJvmShutdown());

            assertThatThrownBy(() -> LocalKafkaBroker.start(options))
                    .isInstanceOf(LocalKafkaBrokerException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("Address already in use");
        }
        assertThat(threadsLeftBehind(threadsBefore)).isEmpty();
    }

    /** Threads started since {@code before} that still run and are either non-daemon or Kafka's own. */
    private static List<String> threadsLeftBehind(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + THREAD_EXIT_GRACE.toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .filter(t -> !t.isDaemon() || KAFKA_THREAD.matcher(t.getName()).matches())
                    .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                    .toList();
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }
}
