package org.fgclip2.serialization.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real, Confluent-API-compatible schema registry in a child process on 127.0.0.1, for local development and
 * integration tests: Apicurio Registry with in-memory storage, from the jar that {@code mvn package} builds
 * ({@code target/fgclip2-schema-registry.jar}, from the {@code registry/} project).
 *
 * <p>Unlike Apicurio's own default ({@code NONE}), the global compatibility level is set to {@code BACKWARD},
 * Confluent's default. Its output goes to {@link #logFile()}. {@link #close()} stops the process; a shutdown
 * hook does so too if the JVM exits first.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    /** The registry jar's file name, beside the application jar or in {@code target/}. */
    public static final String JAR_NAME = "fgclip2-schema-registry.jar";
    /** Where Apicurio serves the Confluent REST API. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_STARTS_ON_TAKEN_PORT = 3;
    private static final String BUILD_HINT =
            "build it with 'mvn package' at the project root, which leaves target/" + JAR_NAME + " beside the application jar";

    private final Process process;
    private final URI url;
    private final Path logFile;
    private final Thread shutdownHook;

    private LocalSchemaRegistry(Process process, URI url, Path logFile, Thread shutdownHook) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
    }

    /** Starts the registry jar that {@link #locateJar(Path)} finds on a free port. */
    public static LocalSchemaRegistry start() {
        return start(locateJar(null), 0);
    }

    /**
     * Starts the registry from {@code jar} on {@code port} (0: a free one) and waits until it answers.
     *
     * @throws IllegalStateException if it does not start; the message ends with its last log lines
     */
    public static LocalSchemaRegistry start(Path jar, int port) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("No schema registry jar at " + jar.toAbsolutePath() + "; " + BUILD_HINT);
        }
        int starts = port == 0 ? MAX_STARTS_ON_TAKEN_PORT : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(jar, port == 0 ? freePort() : port);
            } catch (PortTakenException e) {
                if (attempt >= starts) {
                    throw e;
                }
                // another process took the free port between our probe and the registry's bind: pick another
            }
        }
    }

    /**
     * Finds the registry jar: {@code explicit} if given, else {@value #JAR_NAME} beside the jar this class runs
     * from, else {@code target/}{@value #JAR_NAME} under the working directory.
     *
     * @throws IllegalArgumentException if {@code explicit} is not a file
     * @throws IllegalStateException naming the places looked at when none has it
     */
    public static Path locateJar(Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IllegalArgumentException("No schema registry jar at " + explicit.toAbsolutePath() + "; " + BUILD_HINT);
            }
            return explicit;
        }
        List<Path> candidates = new ArrayList<>();
        besideApplicationJar().ifPresent(candidates::add);
        candidates.add(Paths.get("target", JAR_NAME).toAbsolutePath());
        return candidates.stream()
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "No schema registry jar found (looked for " + candidates + "); " + BUILD_HINT));
    }

    /** The base URL of the Confluent REST API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public URI url() {
        return url;
    }

    /** The registry's port on 127.0.0.1. */
    public int port() {
        return url.getPort();
    }

    /** Where the registry's own output goes (kept after {@link #close()}, for post-mortems). */
    public Path logFile() {
        return logFile;
    }

    /** The child process's id. */
    public long pid() {
        return process.pid();
    }

    /** Stops the registry and waits until its process is gone. */
    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down, and the hook is stopping the process anyway
        }
    }

    private static LocalSchemaRegistry startOnce(Path jar, int port) {
        Path logFile;
        Process process;
        try {
            logFile = Files.createTempFile("fgclip2-schema-registry-" + port + "-", ".log");
            process = new ProcessBuilder(command(jar, port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry from " + jar, e);
        }
        Thread shutdownHook = new Thread(() -> stop(process), "stop-schema-registry-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LocalSchemaRegistry registry = new LocalSchemaRegistry(process, apiUrl(port), logFile, shutdownHook);
        try {
            registry.awaitReady();
            new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(registry.url.toString()))
                    .setGlobalCompatibility(Compatibility.BACKWARD);
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static List<String> command(Path jar, int port) {
        return List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // a small, short-lived service on a shared machine: one GC thread, quick start-up
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar",
                jar.toAbsolutePath().toString());
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = logTail();
                String message = "The schema registry exited with code " + process.exitValue() + " before it was ready"
                        + " (log: " + logFile + "):\n" + log;
                if (log.contains("Port already bound") || log.contains("Address already in use")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("The schema registry did not answer at " + url + " within " + START_TIMEOUT.toSeconds()
                + " s (log: " + logFile + "):\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> besideApplicationJar() {
        CodeSource source = LocalSchemaRegistry.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Paths.get(source.getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return Optional.empty(); // running from a classes directory, not a jar
            }
            return Optional.of(location.resolveSibling(JAR_NAME));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static URI apiUrl(int port) {
        return URI.create("http://127.0.0.1:" + port + CONFLUENT_API_PATH);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        }
    }

    /** The registry could not bind its port: another process has it. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
