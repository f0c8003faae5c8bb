package org.fgclip2.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.inference.Vectors;
import org.fgclip2.model.Precision;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;

/**
 * Re-scoring throughput of one task on one thread, through the production code: {@link Relabeler#step} over a
 * RocksDB store of retained images (decode, score against the set, write the entry back, and with
 * {@code relabel.emit=all} serialise every {@code ImageLabels}), against a label set of base-size (768-d) random
 * prompt embeddings. The model is the tiny test checkpoint, loaded only for its id. Not a test; run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat target/test-classpath.txt)
 * org.fgclip2.topology.RelabelTiming [images] [labels] [dim]}.
 */
public final class RelabelTiming {

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int labels = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        Random random = new Random(42);
        try (FgClip2Inference inference = FgClip2Inference.load(TopologyHarness.tinyCheckpoint(), "tiny",
                InferenceOptions.on(DeviceSpec.CPU, Precision.F32))) {
            String modelId = inference.info().id();
            LabelingSettings settings = new AppConfig(Map.of()).labeling();
            RecordCodecs codecs = new RecordCodecs(new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()),
                    settings.topics());
            Path stateDir = Files.createTempDirectory("fgclip2-relabel-timing");
            MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(new Properties(),
                    new TaskId(0, 0), stateDir.toFile());
            KeyValueStore<String, byte[]> captions = store(context, "captions", false);
            for (int l = 0; l < labels; l++) {
                captions.put("label-" + l, codecs.write(CaptionEmbeddings.newBuilder().setLabelId("label-" + l)
                        .setLabelSet("default").setModelId(modelId).setPromptsHash("h" + l)
                        .setPrompts(List.of("prompt " + l)).setEmbeddings(List.of(AvroFloats.toList(unit(random, dim))))
                        .setBoxPrompt("prompt " + l).setBoxEmbedding(AvroFloats.toList(unit(random, dim)))
                        .setThreshold(1f).setEmbeddedAt(Instant.EPOCH).build()));
            }
            LabelSets sets = new LabelSets(codecs, new CaptionEmbedder(inference), settings.defaultThreshold(),
                    new AtomicLong());
            LabelMatrix matrix = sets.get("default", captions);

            float[][] embeddings = new float[images][];
            for (int i = 0; i < images; i++) {
                embeddings[i] = unit(random, dim);
            }
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (float[] e : embeddings) {
                    matrix.score(e, inference.scoring());
                }
                report("scoring one image at a time, ranked", images, System.nanoTime() - t0);
                t0 = System.nanoTime();
                for (int i = 0; i < images; i += 32) {
                    matrix.scoreAll(Arrays.copyOfRange(embeddings, i, Math.min(images, i + 32)), inference.scoring());
                }
                report("scoring 32 at a time (LabelMatrix.scoreAll)", images, System.nanoTime() - t0);
            }
            for (RelabelSettings.Emit emit : RelabelSettings.Emit.values()) {
                for (int round = 0; round < 3; round++) {
                    KeyValueStore<String, byte[]> store = store(context, "retained-" + emit + "-" + round, true);
                    RelabelSettings relabel = new RelabelSettings(images, settings.relabel().window(), emit,
                            settings.relabel().delay());
                    RetainedImages retained = new RetainedImages(store, relabel,
                            new OutputLimits(Map.of(), OutputLimits.KAFKA_DEFAULT), "changelog");
                    for (int i = 0; i < images; i++) {
                        retained.put(new RetainedImages.Addition(new RetainedImage("image-" + i,
                                "https://example.com/" + i + ".jpg", "default", modelId, Map.of("source", "timing"),
                                24, 32, 1000L + i, "ab".repeat(32), embeddings[i], 1000L + i,
                                new RetainedImage.LabelState("default", "an-older-version", List.of(),
                                        new LabelMatrix.Scores(new float[0], new int[0]))),
                                new LabelMatrix.SetLabels(List.of(), List.of())));
                    }
                    Relabeler relabeler = new Relabeler(relabel, retained, inference.scoring(), codecs,
                            new OutputLimits(Map.of(), OutputLimits.KAFKA_DEFAULT),
                            new LabelingMetrics(new SimpleMeterRegistry()), modelId);
                    long[] published = {0};
                    long now = 2000L + images;
                    relabeler.step(now, Long.MAX_VALUE, sets, captions, o -> published[0]++);
                    long t0 = System.nanoTime();
                    relabeler.step(now + relabel.delay().toMillis(), Long.MAX_VALUE, sets, captions,
                            o -> published[0]++);
                    report("sweep, relabel.emit=" + emit.name().toLowerCase() + " (" + published[0] + " published)",
                            images, System.nanoTime() - t0);
                    store.close();
                }
            }
        }
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<String, byte[]> context, String name,
                                                      boolean persistent) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(persistent
                        ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.l2Normalize(v);
    }

    private static void report(String what, int images, long nanos) {
        System.out.printf("%-52s %8.0f images/s  (%d images, %.1f ms)%n", what, images / (nanos / 1e9), images,
                nanos / 1e6);
    }
}
