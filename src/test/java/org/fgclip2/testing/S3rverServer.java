package org.fgclip2.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for tests: s3rver 3.7.1 (npm), a Node implementation of the S3 REST API that keeps
 * objects in a folder. It knows one account, access key {@value #ACCESS_KEY} (secret {@value #SECRET_KEY}), and
 * refuses other access keys and expired pre-signed URLs; it does <em>not</em> verify SigV4 signatures themselves
 * (its source says so), so a wrong secret passes here that AWS S3 or MinIO would refuse.
 *
 * <p><b>How it starts.</b> The first use on a machine runs {@code npm install s3rver@3.7.1} (the npm registry, no
 * Docker) into {@code ~/.cache/fgclip2-test-assets/s3rver-3.7.1} (a temporary folder moved there when complete,
 * so an interrupted install is never half-used); every server is then {@code node
 * .../s3rver/bin/s3rver.js -d <temp folder> -a 127.0.0.1 -p 0 --configure-bucket <bucket>}, a child process on a
 * free port that the test reads from the server's "listening on" line, with the given buckets created empty.
 * {@link #close()} ends the process.
 */
public final class S3rverServer implements AutoCloseable {

    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";
    private static final String VERSION = "3.7.1";
    private static final Path INSTALL = Paths.get(System.getProperty("user.home"), ".cache", "fgclip2-test-assets",
            "s3rver-" + VERSION);
    private static final Pattern LISTENING = Pattern.compile("S3rver listening on [^:]+:(\\d+)");

    private final Process process;
    private final URI endpoint;

    private S3rverServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts a server whose data lives under {@code data}, with {@code buckets} created. */
    public static S3rverServer start(Path data, String... buckets) throws IOException, InterruptedException {
        Path script = installed().resolve("node_modules/s3rver/bin/s3rver.js");
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "-d", data.toString(),
                "-a", "127.0.0.1", "-p", "0", "--silent"));
        for (String bucket : buckets) {
            command.add("--configure-bucket");
            command.add(bucket);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> readOutput(process, port, log), "s3rver-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new S3rverServer(process, URI.create("http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS)));
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("s3rver did not start within 30 s: " + log, e);
        }
    }

    private static void readOutput(Process process, CompletableFuture<Integer> port, StringBuilder log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IOException("s3rver exited"));
    }

    /** {@code http://127.0.0.1:<port>}: an endpoint for path-style access. */
    public URI endpoint() {
        return endpoint;
    }

    private static synchronized Path installed() throws IOException, InterruptedException {
        if (Files.isRegularFile(INSTALL.resolve("node_modules/s3rver/bin/s3rver.js"))) {
            return INSTALL;
        }
        Files.createDirectories(INSTALL.getParent());
        Path work = Files.createTempDirectory(INSTALL.getParent(), "s3rver-install-");
        Path log = work.resolve("npm.log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix",
                    work.toString(), "s3rver@" + VERSION).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("test server: cannot run 'npm' (install Node.js/npm): " + e.getMessage(), e);
        }
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IOException("test server: 'npm install s3rver@" + VERSION + "' failed (needs the npm registry): "
                    + Files.readString(log));
        }
        try {
            Files.move(work, INSTALL, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // another JVM finished first: its copy is as good
        } catch (IOException e) {
            if (!Files.isDirectory(INSTALL)) {
                throw e;
            }
        }
        return INSTALL;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
