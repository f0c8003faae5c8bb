package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator who got something wrong meets without a cluster: one line that says what to change, exit code
 * 2, and before the model loads (minutes, with a hub download).
 */
class OperatorErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void aBadSettingFailsBeforeTheModelLoadsAndSoDoesPrintConfig() throws Exception {
        // were the model loaded first, the error would be about this folder
        String noModel = "model=" + tmp.resolve("no-such-model");
        Map<String, String> cases = Map.of(
                "batch.max-size=abc",
                "setting 'batch.max-size' (FGCLIP2_BATCH_MAX_SIZE) must be a whole number, got 'abc'",
                "fetch.read-timeout=20 seconds",
                "setting 'fetch.read-timeout' (FGCLIP2_FETCH_READ_TIMEOUT): '20 seconds' is not a duration (e.g."
                        + " 250ms, 30s, 5m)",
                "heatmaps.for-positive=sometimes",
                "setting 'heatmaps.for-positive' (FGCLIP2_HEATMAPS_FOR_POSITIVE) must be true or false, got"
                        + " 'sometimes'",
                "group.heartbeat-interval=4s",
                "setting 'group.heartbeat-interval' (FGCLIP2_GROUP_HEARTBEAT_INTERVAL) must be at most a third of"
                        + " group.session-timeout (10000 ms), got '4s'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = Files.write(tmp.resolve("app.properties"), List.of(noModel, c.getKey()));
            for (List<String> args : List.of(List.of("run", "--config", file.toString()),
                    List.of("run", "--config", file.toString(), "--print-config"))) {
                CliTest.Run r = CliTest.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as(args + " with " + c.getKey() + "\n" + r.err()).isEqualTo(2);
                assertThat(r.out()).as("nothing printed").isEmpty();
                assertThat(errorLines(r)).containsExactly("error: " + c.getValue());
            }
        }
    }

    @Test
    void anUnreachableBrokerIsALinePerAttemptAndOneErrorNotAWarningFlood() throws Exception {
        int closed = closedPort();
        Map<String, String> settings = Map.of("model", tmp.resolve("no-such-model").toString(),
                "bootstrap.servers", "127.0.0.1:" + closed, "bootstrap.timeout", "6s",
                "state.dir", tmp.resolve("state").toString(), "http.port", "-1");
        try (AppProcess app = AppProcess.run(settings, tmp, "unreachable")) {
            assertThat(app.awaitExit(Duration.ofSeconds(90))).as(app.logText()).isEqualTo(2);
            List<String> log = app.logText().strip().lines().toList();
            assertThat(log.get(log.size() - 1)).isEqualTo("error: cannot reach Kafka at 127.0.0.1:" + closed
                    + " within 6 s: Connection refused; check bootstrap.servers (FGCLIP2_BOOTSTRAP_SERVERS) and that"
                    + " the brokers are up");
            assertThat(log.stream().filter(l -> l.contains("waiting for Kafka at 127.0.0.1:" + closed
                    + ": Connection refused, retrying for another "))).as(String.join("\n", log)).hasSizeBetween(1, 3);
            assertThat(log.stream().filter(l -> l.contains(" WARN ") && l.contains("NetworkClient")))
                    .as("Kafka's own reconnect warnings, rate-limited").hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void aGpuThatIsNotThereIsExitCodeTwoForEveryCommandThatTakesADevice() {
        assumeTrue(CudaUtils.getGpuCount() == 0, "this host has a GPU");
        String model = GoldenFixture.BUNDLED.toString();
        String image = GoldenFixture.publicTiny().image("img0_160x90").toString();
        for (String[] args : List.of(
                new String[] {"inspect", "--model", model, "--image", image, "--caption", "a cat", "--device", "gpu"},
                new String[] {"bench", "--model", model, "--device", "gpu:0", "--iterations", "1"})) {
            CliTest.Run r = CliTest.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(errorLines(r)).singleElement().asString()
                    .startsWith("error: no CUDA GPU is visible to the PyTorch engine on this host; use --device cpu"
                            + " or auto");
        }
    }

    static List<String> errorLines(CliTest.Run r) {
        assertThat(r.err()).as("no stack trace").doesNotContain("\tat ");
        return r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
