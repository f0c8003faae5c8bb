package org.fgclip2.app.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fgclip2.testing.CtrlC;
import org.fgclip2.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a process that runs a broker leaves neither a listening port nor a data directory behind. */
class LocalKafkaBrokerShutdownHookIT {

    private static final long TIMEOUT_SECONDS = 90;

    @Test
    void ctrlCClosesTheBrokerAndDeletesItsTemporaryDirectory(@TempDir Path temp) throws Exception {
        Path stderr = temp.resolve("stderr.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalKafkaBrokerProcess.class.getName())
                .redirectError(stderr.toFile())
                .start();
        try {
            String ready = firstLine(child).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(ready).as("first output line; the child's stderr:%n%s", Files.readString(stderr))
                    .startsWith("READY ");
            String[] fields = ready.split(" ", 4);
            int brokerPort = Integer.parseInt(fields[1]);
            int controllerPort = Integer.parseInt(fields[2]);
            Path dataDirectory = Path.of(fields[3]);
            assertThat(dataDirectory).isDirectory();

            interrupt(child);

            assertThat(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child exited").isTrue();
            assertThat(dataDirectory).as("the child's stderr:%n%s", Files.readString(stderr)).doesNotExist();
            assertThat(Ports.isFree(brokerPort)).isTrue();
            assertThat(Ports.isFree(controllerPort)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Reads on a thread of its own: the common pool may have a single thread, busy elsewhere. */
    private static CompletableFuture<String> firstLine(Process process) {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                line.complete(new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        }, "child-stdout-reader");
        reader.setDaemon(true);
        reader.start();
        return line;
    }

    private static void interrupt(Process process) throws IOException, InterruptedException {
        CtrlC.send(process);
    }
}
