package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator who got the surroundings wrong meets, against a real broker and registry: one line that says
 * what to change and exit code 2, before the model loads wherever the mistake can be seen earlier.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class OperatorErrorsIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void missingTopicsAreNamedWhenTheAppMayNotCreateThem(LocalSchemaRegistry registry) throws Exception {
        Map<String, String> settings = settings("missing-topics", registry);
        settings.put("topics.create", "false");
        KAFKA.createTopic("missing-topics.images", 1);
        KAFKA.createTopic("missing-topics.image-labels", 1);

        CliTest.Run r = CliTest.run("run", "--config", config(settings).toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(OperatorErrorsTest.errorLines(r)).containsExactly("error: topics missing on Kafka at "
                + KAFKA.bootstrapServers() + ": missing-topics.label-definitions, missing-topics.caption-embeddings,"
                + " missing-topics.region-heatmaps, missing-topics.dead-letters; create them (docs/deployment.md) or"
                + " set topics.create=true (FGCLIP2_TOPICS_CREATE)");
    }

    @Test
    void anUnreachableRegistryIsOneLineAndExitCodeTwo(LocalSchemaRegistry registry) throws Exception {
        Map<String, String> settings = settings("no-registry", registry);
        String url = "http://127.0.0.1:" + OperatorErrorsTest.closedPort();
        settings.put("schema.registry.url", url);
        settings.put("bootstrap.timeout", "3s");

        CliTest.Run r = CliTest.run("run", "--config", config(settings).toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(OperatorErrorsTest.errorLines(r)).containsExactly("error: cannot reach the schema registry at "
                + url + " within 3 s: Connection refused; check schema.registry.url (FGCLIP2_SCHEMA_REGISTRY_URL) and"
                + " that the registry is up");
    }

    @Test
    void runOnAGpuThatIsNotThereIsExitCodeTwo(LocalSchemaRegistry registry) throws Exception {
        assumeTrue(CudaUtils.getGpuCount() == 0, "this host has a GPU");
        Map<String, String> settings = settings("no-gpu", registry);
        settings.put("model", GoldenFixture.BUNDLED.toAbsolutePath().toString());
        settings.put("model.device", "gpu");

        CliTest.Run r = CliTest.run("run", "--config", config(settings).toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(OperatorErrorsTest.errorLines(r)).singleElement().asString()
                .startsWith("error: no CUDA GPU is visible to the PyTorch engine on this host");
    }

    @Test
    void aStateDirectoryInUseByAnotherInstanceIsNamed(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        Map<String, String> settings = new HashMap<>(fixture.settings("state-dir-in-use"));
        try (AppProcess first = AppProcess.run(settings, dir, "first")) {
            first.awaitLog("-> RUNNING", Duration.ofSeconds(120));

            CliTest.Run second = CliTest.run("run", "--config", config(settings).toString());

            assertThat(second.exitCode()).as(second.err()).isEqualTo(2);
            assertThat(OperatorErrorsTest.errorLines(second)).containsExactly("error: state.dir "
                    + dir.resolve("state-state-dir-in-use") + " is in use by another instance: give each instance"
                    + " its own state.dir (FGCLIP2_STATE_DIR)");
            assertThat(first.alive()).as("the first instance runs on").isTrue();
        }
    }

    /** Settings whose model does not exist: a failure that names something else came before the model load. */
    private Map<String, String> settings(String name, LocalSchemaRegistry registry) {
        Map<String, String> s = new HashMap<>();
        s.put("model", dir.resolve("no-such-model").toString());
        s.put("bootstrap.servers", KAFKA.bootstrapServers());
        s.put("schema.registry.url", registry.url().toString());
        s.put("application.id", name);
        s.put("state.dir", dir.resolve("state").toString());
        s.put("http.port", "-1");
        s.put("topics.partitions", "1");
        for (String topic : new String[] {"images", "label-definitions", "caption-embeddings", "image-labels",
                "region-heatmaps", "dead-letters"}) {
            s.put("topics." + topic, name + "." + topic);
        }
        return s;
    }

    private Path config(Map<String, String> settings) throws IOException {
        Path file = Files.createTempFile(dir, "app", ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
            }
        }
        return file;
    }
}
