package org.fgclip2.app.localkafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.fgclip2.app.cli.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, one node that is broker and controller) running inside this JVM.
 * It backs the {@code dev} playground and the integration tests.
 *
 * <p>{@link #start(Setup)} returns once the broker is ready for exactly-once Streams apps. By default a JVM
 * shutdown hook closes the broker on Ctrl-C or SIGTERM, so neither broker threads nor a temporary data
 * directory outlive the process; see {@link Setup#closeOnJvmShutdown()}.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    /**
     * How to run the broker.
     *
     * @param dataDirectory where to keep logs and metadata; {@code null} for a fresh temporary directory that
     *     {@link #close()} deletes. A given directory is kept, so a later start finds the same topics and records.
     * @param host the address the broker binds to and advertises; clients must reach it under this address
     * @param port the port clients connect to, or 0 to pick a free one (the controller always gets a free one)
     * @param startTimeout how long {@link #start} and {@link #restart()} wait for the broker to become ready
     * @param closeOnJvmShutdown whether a JVM shutdown hook closes the broker. Turn it off when your own hook
     *     must stop Kafka clients first and then calls {@link #close()} itself.
     */
    public record Setup(Path dataDirectory, String host, int port, Duration startTimeout,
                          boolean closeOnJvmShutdown) {

        public Setup {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (pick a free one) or 1..65535, got " + port);
            }
        }

        /** A temporary data directory, 127.0.0.1, a free port, 60 s to start, closed on JVM shutdown. */
        public static Setup defaults() {
            return new Setup(null, "127.0.0.1", 0, Duration.ofSeconds(60), true);
        }

        public Setup withDataDirectory(Path directory) {
            return new Setup(directory, host, port, startTimeout, closeOnJvmShutdown);
        }

        public Setup withCloseOnJvmShutdown(boolean close) {
            return new Setup(dataDirectory, host, port, startTimeout, close);
        }
    }

    private final Setup setup;
    private final Path dataDirectory;
    private final boolean ownsDataDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final Thread shutdownHook;
    private KafkaRaftServer server;
    private boolean closed;

    private LocalKafkaBroker(Setup setup, Path dataDirectory, boolean ownsDataDirectory, int brokerPort,
                             int controllerPort) {
        this.setup = setup;
        this.dataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.shutdownHook = setup.closeOnJvmShutdown()
                ? new Thread(this::close, "local-kafka-broker-shutdown")
                : null;
    }

    /** Starts a broker with {@link Setup#defaults()}. */
    public static LocalKafkaBroker start() {
        return start(Setup.defaults());
    }

    /**
     * Formats the data directory if it is new, starts the broker and waits until it is ready: it answers
     * metadata requests and its transaction coordinator initializes a transactional producer.
     *
     * @throws LocalKafkaBrokerException if the broker cannot start or does not become ready in time; nothing
     *     is left running then
     */
    public static LocalKafkaBroker start(Setup setup) {
        int brokerPort = setup.port() == 0 ? freePort(setup.host()) : setup.port();
        int controllerPort = freePort(setup.host());
        boolean temporary = setup.dataDirectory() == null;
        Path directory = temporary ? createTemporaryDirectory() : setup.dataDirectory();
        LocalKafkaBroker broker = new LocalKafkaBroker(setup, directory, temporary, brokerPort, controllerPort);
        if (broker.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        }
        // Holding the lock makes a shutdown hook that fires meanwhile wait, then close what was started.
        synchronized (broker) {
            try {
                broker.formatStorageIfNew();
                broker.startServer();
            } catch (RuntimeException e) {
                try {
                    broker.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
        }
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return setup.host() + ":" + brokerPort;
    }

    /** Where the broker keeps its logs, metadata and {@code server.properties}. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether the broker is started (between {@link #start}/{@link #restart()} and {@link #stop()}). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the broker down cleanly and waits until all its threads have ended; the data directory stays.
     * Clients see the broker as unavailable until {@link #restart()}. Does nothing if already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), millisSince(started));
    }

    /**
     * Stops the broker if it runs and starts it again on the same ports and data directory, so connected
     * clients reconnect and find every record written before. Returns once the broker is ready again.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker at " + bootstrapServers() + " is closed; start a new one");
        }
        stop();
        startServer();
    }

    /**
     * Stops the broker and deletes its data directory if it was a temporary one. Safe to call more than once,
     * and from a shutdown hook.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            removeShutdownHook();
            if (ownsDataDirectory) {
                deleteRecursively(dataDirectory);
            }
        }
    }

    int brokerPort() {
        return brokerPort;
    }

    int controllerPort() {
        return controllerPort;
    }

    /** A formatted directory keeps its cluster id: the format tool refuses a new one even with --ignore-formatted. */
    private void formatStorageIfNew() {
        Path propertiesFile = writeServerProperties();
        if (Files.exists(logDirectory().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] arguments = {"format", "--config", propertiesFile.toString(),
                "--cluster-id", Uuid.randomUuid().toString()};
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(arguments, out);
        } catch (Exception e) {
            throw new LocalKafkaBrokerException("could not format the Kafka data directory " + dataDirectory
                    + ": " + e.getMessage() + " " + output.toString(StandardCharsets.UTF_8).strip(), e);
        }
        if (status != 0) {
            throw new LocalKafkaBrokerException("formatting the Kafka data directory " + dataDirectory
                    + " failed with status " + status + ": " + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** The effective configuration goes to the data directory: the format tool reads it, and people can too. */
    private Path writeServerProperties() {
        Properties properties = new Properties();
        properties.putAll(serverProperties());
        Path file = dataDirectory.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "single-node KRaft broker of fgclip2-streams; rewritten on every start");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    private Map<String, String> serverProperties() {
        return SingleNodeBrokerConfig.properties(setup.host(), brokerPort, controllerPort, logDirectory());
    }

    private Path logDirectory() {
        return dataDirectory.resolve("logs");
    }

    private void startServer() {
        long started = System.nanoTime();
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(serverProperties(), false), Time.SYSTEM);
        server = starting;
        try {
            starting.startup();
        } catch (RuntimeException e) {
            stop();
            throw new LocalKafkaBrokerException("the Kafka broker on " + bootstrapServers() + " (controller port "
                    + controllerPort + ", data in " + dataDirectory + ") failed to start: " + rootCause(e).getMessage(),
                    e);
        }
        BrokerReadiness.await(bootstrapServers(), setup.startTimeout());
        LOG.info("Kafka broker ready at {} in {} ms (data in {})", bootstrapServers(), millisSince(started),
                dataDirectory);
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmIsShuttingDown) {
            // Closed from another shutdown hook: ours runs too and finds the broker closed.
        }
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("fgclip2-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the Kafka broker", e);
        }
    }

    /** A port that was free a moment ago; the broker binds it a few milliseconds later. */
    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + host, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the Kafka data directory " + directory, e);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
