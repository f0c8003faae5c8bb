package org.fgclip2.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fgclip2.app.Main;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.testing.CtrlC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev} end to end, as a user runs it: it starts broker and registry, prints their addresses, labels the
 * sample pictures, and on Ctrl-C (SIGINT) stops everything — no process, port or folder left behind.
 */
class DevCommandIT {

    @TempDir
    Path tmp;

    @Test
    void startsLabelsTheSamplesAndLeavesNothingBehindOnCtrlC() throws Exception {
        Path model = tmp.resolve("tiny");
        RandomCheckpoint.write(model, ModelPresets.get("tiny"), RandomCheckpoint.Options.DEFAULT);
        Process dev = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "dev", "--model", model.toString(),
                "--image-root", tmp.toString())
                .redirectError(tmp.resolve("dev.err").toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader failed: " + e);
            }
        });
        reader.start();
        List<String> seen = new ArrayList<>();
        try {
            String bootstrap = valueOf(await(lines, seen, "KAFKA_BOOTSTRAP="));
            String registry = valueOf(await(lines, seen, "SCHEMA_REGISTRY_URL="));
            await(lines, seen, "NOTICE");
            Path heatmaps = Path.of(valueOf(await(lines, seen, "HEATMAPS=")));
            for (int i = 0; i < 6; i++) {
                await(lines, seen, "labels ");
            }
            assertThat(seen.stream().filter(l -> l.startsWith("labels ")).map(l -> l.split("\\s+")[1]))
                    .containsExactlyInAnyOrder("cat.png:", "dog.png:", "car.png:", "person.png:", "document.png:",
                            "house.png:");

            // a label added to the sample set, positive for every picture: each is re-labelled without the model
            Path added = tmp.resolve("added-label.yaml");
            Files.writeString(added, "labelSet: default\nlabels:\n  - id: anything\n    prompts: [\"a picture\"]\n"
                    + "    threshold: 0\n");
            Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "labels", "load",
                    added.toString(), "--bootstrap-servers", bootstrap, "--schema-registry-url", registry)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("load.out").toFile()).start();
            assertThat(load.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(load.exitValue()).as(Files.readString(tmp.resolve("load.out"))).isZero();
            for (int i = 0; i < 6; i++) {
                await(lines, seen, "relabel ");
            }
            assertThat(seen.stream().filter(l -> l.startsWith("relabel ")).map(l -> l.split("\\s+")[1]))
                    .as("each picture re-labelled once").containsExactlyInAnyOrder("cat.png:", "dog.png:", "car.png:",
                            "person.png:", "document.png:", "house.png:");
            List<ProcessHandle> children = dev.descendants().toList();
            assertThat(children).as("the registry runs as a child process").isNotEmpty();
            int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            int registryPort = URI.create(registry).getPort();
            assertThat(free(kafkaPort)).isFalse();
            assertThat(free(registryPort)).isFalse();

            CtrlC.send(dev);
            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("stops on Ctrl-C").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
            }
            assertThat(free(kafkaPort)).as("broker port").isTrue();
            assertThat(free(registryPort)).as("registry port").isTrue();
            assertThat(heatmaps.getParent()).as("working folder").doesNotExist();
        } finally {
            dev.destroyForcibly();
            reader.join(5000);
        }
        assertThat(Files.readString(tmp.resolve("dev.err"))).doesNotContain("Exception in thread");
    }

    private static String await(BlockingQueue<String> lines, List<String> seen, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix) || (prefix.equals("NOTICE") && line.contains("NOTICE"))) {
                    return line;
                }
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in:\n" + String.join("\n", seen));
    }

    private static String valueOf(String line) {
        return line.substring(line.indexOf('=') + 1).split(" ")[0];
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
