package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.TestImages;
import org.fgclip2.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production jar that the Docker images ship, {@code target/fgclip2-streams-runtime.jar}, as {@code mvn package}
 * built it: what it leaves out, and that what it keeps still labels images. {@code mvn verify} packages before it
 * runs integration tests, so the jar is this build's.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class RuntimeJarIT {

    private static final Path RUNTIME_JAR = Path.of("target", "fgclip2-streams-runtime.jar");
    private static final Path ALL_IN_ONE_JAR = Path.of("target", "fgclip2-streams.jar");

    // What a JVM can load as a native library: .so (also versioned, libgomp-*.so.1), .dll, .dylib, .jnilib, AIX .a.
    private static final Pattern NATIVE = Pattern.compile(".*\\.(so(\\.\\d+)*|dll|dylib|jnilib|a)$");
    // Each library names linux-x86_64 its own way (DJL adds a flavor folder: cpu, cu128); RocksDB's glibc build is
    // linux64, its musl build linux64-musl.
    private static final Pattern LINUX_X86_64_GLIBC = Pattern.compile(
            "(.*/)?(linux-x86-64|linux-x86_64|linux/amd64|Linux/x86_64)/.+|librocksdbjni-linux64\\.so");

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void leavesOutTheBrokerScalaAndOtherPlatformsNatives() throws IOException {
        List<String> entries = entries(RUNTIME_JAR);
        assertThat(entries).contains("org/fgclip2/app/Main.class", "org/apache/kafka/streams/KafkaStreams.class");
        try (JarFile jar = new JarFile(RUNTIME_JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
        }
        assertThat(entries).as("broker (kafka_2.13 and its modules) and Scala classes")
                .noneMatch(e -> e.startsWith("scala/") || e.startsWith("kafka/") && e.endsWith(".class")
                        || e.startsWith("org/apache/kafka/raft/") || e.startsWith("org/apache/kafka/metadata/")
                        || e.startsWith("org/apache/kafka/storage/") || e.startsWith("org/apache/kafka/controller/")
                        || e.startsWith("org/apache/kafka/coordinator/"));

        List<String> natives = entries.stream().filter(e -> NATIVE.matcher(e).matches()).toList();
        assertThat(natives).as("native libraries").allMatch(e -> LINUX_X86_64_GLIBC.matcher(e).matches());
        // ... and every library that has natives still has its linux-x86_64 one, under the name its loader wants.
        assertThat(natives).contains(
                "pytorch/cpu/linux-x86_64/libtorch_cpu.so",
                "jnilib/linux-x86_64/cpu/libdjl_torch.so",
                "jnilib/linux-x86_64/cu128/libdjl_torch.so",
                "native/lib/linux-x86_64/cpu/libtokenizers.so",
                "com/sun/jna/linux-x86-64/libjnidispatch.so",
                "librocksdbjni-linux64.so",
                "net/jpountz/util/linux/amd64/liblz4-java.so",
                "org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so");
        assertThat(natives).anyMatch(e -> e.matches("linux/amd64/libzstd-jni-.*\\.so"));

        assertThat(entries(ALL_IN_ONE_JAR)).as("the all-in-one jar keeps the broker for dev")
                .contains("kafka/server/KafkaRaftServer.class");
    }

    @Test
    void inspectReproducesTheOfficialScoresWithTheJarsOwnNatives() throws Exception {
        GoldenFixture f = GoldenFixture.publicTiny();
        Result r = java(RUNTIME_JAR, "inspect", "--model", f.dir().toString(), "--device", "cpu",
                "--image", f.image("img0_160x90").toString(),
                "--caption", "a green triangle above a purple ring", "一只黑白相间的猫坐在红色的盒子旁边。");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode probabilities = new ObjectMapper().readTree(r.out()).get("probabilities").get(0);
        try (SafetensorsFile golden = f.tensors()) {
            // captions 0 and 2 of the fixture against img0, the short walk (a row of 7 captions)
            float[] probs = golden.floats("vision/dynamic/probs/short");
            Tolerance.assertGolden("probabilities",
                    new float[] {(float) probabilities.get(0).asDouble(), (float) probabilities.get(1).asDouble()},
                    new float[] {probs[0], probs[2]});
        }
    }

    @Test
    void devAndBenchPipelineSayInOneLineToUseTheAllInOneJar() throws Exception {
        for (String command : List.of("dev", "bench-pipeline")) {
            Result r = java(RUNTIME_JAR, command);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception")
                    .startsWith("error: '" + command + "' runs a Kafka broker")
                    .contains("all-in-one fgclip2-streams.jar");
        }
    }

    /**
     * RocksDB, the Streams client, the model and JSON logging from the runtime jar alone, against a real broker and
     * registry. JSON logs are checked here because only the shaded jar can lose log4j's plugin cache: the layout
     * was once unknown in the jars while every test on the class path passed.
     */
    @Test
    void runLabelsAnImageAndLogsJson(LocalSchemaRegistry registry) throws Exception {
        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        String uri = fixture.writeImage("a.png", TestImages.png(64, 64, 1));
        Map<String, String> settings = new HashMap<>(fixture.settings("runtime-jar-it"));
        settings.put("log.format", "json");
        try (AppProcess app = AppProcess.runJar(RUNTIME_JAR, settings, dir, "runtime")) {
            app.awaitLog("-> RUNNING", Duration.ofSeconds(120));
            fixture.defineLabels("default", Map.of("cat", List.of("a cat")), null);
            fixture.awaitEmbedded(Set.of("cat"));
            fixture.sendImages(List.of(PipelineFixture.event("one", uri)));
            List<ImageLabels> labels = fixture.readLabels(1, Duration.ofSeconds(120));
            assertThat(labels).as(app.logText()).extracting(ImageLabels::getImageId).containsExactly("one");
            assertThat(app.logText()).doesNotContain("invalid element");
            ObjectMapper json = new ObjectMapper();
            JsonNode running = null;
            for (String line : app.logText().lines().filter(l -> l.startsWith("{")).toList()) {
                JsonNode node = json.readTree(line);
                if (node.path("message").asText().contains("-> RUNNING")) {
                    running = node;
                }
            }
            assertThat(running).as("the RUNNING line as a JSON object\n" + app.logText()).isNotNull();
            assertThat(running.path("level").asText()).isNotEmpty();
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by mvn -DskipTests package").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }

    private record Result(int code, String out, String err) {
    }

    private Result java(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
