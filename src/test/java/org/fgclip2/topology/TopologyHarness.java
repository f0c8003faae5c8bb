package org.fgclip2.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.heatmap.LocalDirectoryHeatmapStore;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.Precision;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.testing.FetchPolicies;
import org.fgclip2.testing.TestImages;

/**
 * The labelling topology in a {@link TopologyTestDriver} with real parts: a random-weight checkpoint on the real
 * model path, a real (in-memory) schema registry, real image files under a file root, a real heatmap directory.
 */
final class TopologyHarness implements AutoCloseable {

    final Path root;
    final Path images;
    final Path heatmaps;
    private final HeatmapStore heatmapStore;
    final FgClip2Inference inference;
    final ConfluentAvroSerdes avro;
    final LabelingServices services;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> imageInput;
    final TestInputTopic<byte[], byte[]> labelInput;
    final TestOutputTopic<String, byte[]> labelsOut;
    final TestOutputTopic<String, byte[]> heatmapsOut;
    final TestOutputTopic<String, byte[]> deadLettersOut;
    final TestOutputTopic<String, byte[]> captionsOut;
    private final Serializer<ImageEvent> eventSerializer;
    private final Serializer<LabelDefinition> labelSerializer;
    private final Deserializer<ImageLabels> labelsDeserializer;
    private final Deserializer<RegionHeatmap> heatmapDeserializer;
    private final Deserializer<DeadLetter> deadLetterDeserializer;

    /** A tiny random checkpoint written once per JVM: the model path is the real one, the weights are random. */
    static synchronized Path tinyCheckpoint() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fgclip2-test-tiny-" + ProcessHandle.current().pid());
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            RandomCheckpoint.write(dir, ModelPresets.get("tiny"), RandomCheckpoint.Options.DEFAULT);
        }
        return dir;
    }

    /** The production settings, but for {@code overrides} (setting keys as in the settings table). */
    static LabelingSettings settings(Map<String, String> overrides) {
        return new AppConfig(overrides).labeling();
    }

    /** A harness with these overrides that prepares images on the stream thread, so that a pump finishes them. */
    static TopologyHarness onStreamThread(Path root, Map<String, String> overrides) throws IOException {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("fetch.threads", "0");
        return new TopologyHarness(root, settings(all));
    }

    TopologyHarness(Path root, LabelingSettings settings) throws IOException {
        this(root, settings, new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()));
    }

    TopologyHarness(Path root, LabelingSettings settings, OutputLimits limits) throws IOException {
        this(root, settings, new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()), limits);
    }

    TopologyHarness(Path root, LabelingSettings settings, ConfluentAvroSerdes avro) throws IOException {
        this(root, settings, avro, new OutputLimits(Map.of(), OutputLimits.KAFKA_DEFAULT));
    }

    TopologyHarness(Path root, LabelingSettings settings, ConfluentAvroSerdes avro, OutputLimits limits)
            throws IOException {
        this(root, settings, avro, limits, new LocalDirectoryHeatmapStore(root.resolve("heatmaps")));
    }

    /** With {@code heatmapStore} instead of the folder {@link #heatmaps}; the harness closes it. */
    TopologyHarness(Path root, LabelingSettings settings, ConfluentAvroSerdes avro, HeatmapStore heatmapStore)
            throws IOException {
        this(root, settings, avro, new OutputLimits(Map.of(), OutputLimits.KAFKA_DEFAULT), heatmapStore);
    }

    private TopologyHarness(Path root, LabelingSettings settings, ConfluentAvroSerdes avro, OutputLimits limits,
                            HeatmapStore heatmapStore) throws IOException {
        this.root = root;
        this.heatmapStore = heatmapStore;
        this.images = Files.createDirectories(root.resolve("images"));
        this.heatmaps = root.resolve("heatmaps");
        this.inference = FgClip2Inference.load(tinyCheckpoint(), "tiny", InferenceOptions.on(DeviceSpec.CPU, Precision.F32));
        this.avro = avro;
        this.services = new LabelingServices(inference, avro, new ImageFetcher(FetchPolicies.withSettings("fetch.file-root", images.toString())),
                TestImages.decoder(), heatmapStore, settings,
                new LabelingMetrics(new SimpleMeterRegistry()), limits);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fgclip2-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, root.resolve("state").toString());
        this.driver = new TopologyTestDriver(LabelingTopology.build(services), props, Instant.ofEpochMilli(1_000_000));
        TopicNames t = settings.topics();
        imageInput = driver.createInputTopic(t.images(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        labelInput = driver.createInputTopic(t.labelDefinitions(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        labelsOut = driver.createOutputTopic(t.imageLabels(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        heatmapsOut = driver.createOutputTopic(t.regionHeatmaps(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        deadLettersOut = driver.createOutputTopic(t.deadLetters(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        captionsOut = driver.createOutputTopic(t.captionEmbeddings(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        eventSerializer = avro.specific(ImageEvent.class, false).serializer();
        labelSerializer = avro.specific(LabelDefinition.class, false).serializer();
        labelsDeserializer = avro.specific(ImageLabels.class, false).deserializer();
        heatmapDeserializer = avro.specific(RegionHeatmap.class, false).deserializer();
        deadLetterDeserializer = avro.specific(DeadLetter.class, false).deserializer();
    }

    /** Writes a small PNG (a gradient with a bright square) under the file root and returns its file: URI. */
    String png(String name, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean square = x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2;
                img.setRGB(x, y, square ? 0xFFFF40 : ((x * 255 / width) << 16) | ((y * 255 / height) << 8) | 90);
            }
        }
        Path file = images.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file.toUri().toString();
    }

    String file(String name, byte[] content) throws IOException {
        Path file = images.resolve(name);
        Files.write(file, content);
        return file.toUri().toString();
    }

    void defineLabel(String labelSet, String labelId, Float threshold, String... prompts) {
        define(LabelDefinition.newBuilder().setLabelId(labelId).setLabelSet(labelSet).setPrompts(List.of(prompts))
                .setThreshold(threshold).build());
        pumpLabels();
    }

    /** Sends a label definition without waiting for it to be embedded. */
    void define(LabelDefinition d) {
        labelInput.pipeInput(bytes(d.getLabelId()), labelSerializer.serialize("fgclip2.label-definitions", d));
    }

    /** Whether label definitions wait to be embedded. */
    boolean labelsPending() {
        return !isEmpty(driver.getKeyValueStore(LabelingTopology.PENDING_LABELS_STORE));
    }

    /** Lets wall-clock time pass until every accepted label definition is embedded (or dead-lettered). */
    void pumpLabels() {
        for (int i = 0; i < 2000 && labelsPending(); i++) {
            driver.advanceWallClockTime(Duration.ofMillis(20));
        }
    }

    private static boolean isEmpty(KeyValueStore<String, byte[]> store) {
        try (var it = store.all()) {
            return !it.hasNext();
        }
    }

    void deleteLabel(String labelId) {
        labelInput.pipeInput(bytes(labelId), (byte[]) null);
    }

    void sendImage(String id, String uri) {
        sendImage(ImageEvent.newBuilder().setId(id).setUri(uri).build());
    }

    void sendImage(ImageEvent event) {
        imageInput.pipeInput(bytes(event.getId()), eventSerializer.serialize("fgclip2.images", event));
    }

    void sendImage(ImageEvent event, Headers headers) {
        sendRaw(event.getId(), eventSerializer.serialize("fgclip2.images", event), headers);
    }

    void sendRaw(String key, byte[] value) {
        imageInput.pipeInput(bytes(key), value);
    }

    void sendRaw(String key, byte[] value, Headers headers) {
        imageInput.pipeInput(new TestRecord<>(bytes(key), value, headers));
    }

    /** Sends a label definition (null: deletes {@code key}) with headers, without waiting for it to be embedded. */
    void define(String key, LabelDefinition d, Headers headers) {
        labelInput.pipeInput(new TestRecord<>(bytes(key),
                d == null ? null : labelSerializer.serialize("fgclip2.label-definitions", d), headers));
    }

    /** Lets wall-clock time pass (punctuations run the waiting batches) until {@code outputs} records are out. */
    void pumpUntil(int outputs) {
        for (int i = 0; i < 2000 && outputCount() < outputs; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            if (i > 10) {
                sleep();
            }
        }
    }

    private int outputCount() {
        return (int) (labelsOut.getQueueSize() + deadLettersOut.getQueueSize());
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<ImageLabels> labels() {
        List<ImageLabels> out = new ArrayList<>();
        for (byte[] v : labelsOut.readValuesToList()) {
            out.add(labelsDeserializer.deserialize("fgclip2.image-labels", v));
        }
        return out;
    }

    List<RegionHeatmap> heatmapRecords() {
        List<RegionHeatmap> out = new ArrayList<>();
        for (byte[] v : heatmapsOut.readValuesToList()) {
            out.add(heatmapDeserializer.deserialize("fgclip2.region-heatmaps", v));
        }
        return out;
    }

    DeadLetter deserializeDeadLetter(byte[] value) {
        return deadLetterDeserializer.deserialize("fgclip2.dead-letters", value);
    }

    List<DeadLetter> deadLetters() {
        List<DeadLetter> out = new ArrayList<>();
        for (byte[] v : deadLettersOut.readValuesToList()) {
            out.add(deadLetterDeserializer.deserialize("fgclip2.dead-letters", v));
        }
        return out;
    }

    Map<String, ?> pendingStore() {
        Map<String, Object> out = new TreeMap<>();
        var store = driver.<String, byte[]>getKeyValueStore(LabelingTopology.PENDING_STORE);
        try (var it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        services.close();
        heatmapStore.close();
        inference.close();
    }
}
