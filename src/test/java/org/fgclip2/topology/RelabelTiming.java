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
import java.util.function.Consumer;
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
import org.fgclip2.inference.Scoring;
import org.fgclip2.inference.Vectors;
import org.fgclip2.model.Precision;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;

/**
 * Re-scoring throughput of one task on one thread, through the production code: {@link Relabeler#step} over a
 * RocksDB store of retained images (read each label state, read the body of each image whose set changed, score what
 * changed, write the new state back, serialise the {@code ImageLabels} it publishes), against a set of 100 labels of
 * one prompt each with base-size (768-d) random prompt and image embeddings, after three kinds of change: every
 * label's prompts (all scored again), one label added (one dot product per image), one threshold (none), and one
 * threshold that makes a label positive for every image (each one published). The model
 * is the tiny test checkpoint, loaded only for its id; the changelog is off. Not a test; run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat target/test-classpath.txt)
 * org.fgclip2.topology.RelabelTiming [images] [labels] [dim]}.
 */
public final class RelabelTiming {

    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int labels = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        Random random = new Random(42);
        try (FgClip2Inference inference = FgClip2Inference.load(TopologyHarness.tinyCheckpoint(), "tiny",
                InferenceOptions.on(DeviceSpec.CPU, Precision.F32))) {
            String modelId = inference.info().id();
            Scoring scoring = inference.scoring();
            LabelingSettings settings = new AppConfig(Map.of()).labeling();
            // the production settings, but keeping every image (relabel.max-images is per task, 10 000 by default)
            RelabelSettings relabel = new RelabelSettings(images, settings.relabel().window(),
                    settings.relabel().emit(), settings.relabel().delay());
            RecordCodecs codecs = new RecordCodecs(new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()),
                    settings.topics());
            OutputLimits limits = new OutputLimits(Map.of(), OutputLimits.KAFKA_DEFAULT);
            MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(new Properties(),
                    new TaskId(0, 0), Files.createTempDirectory("fgclip2-relabel-timing").toFile());
            float[][] embeddings = new float[images][];
            for (int i = 0; i < images; i++) {
                embeddings[i] = unit(random, dim);
            }
            float[][] prompts = new float[labels + 1][];
            for (int l = 0; l <= labels; l++) {
                prompts[l] = unit(random, dim);
            }

            for (int round = 0; round < ROUNDS; round++) {
                KeyValueStore<String, byte[]> captions = store(context, "captions-" + round, false);
                for (int l = 0; l < labels; l++) {
                    captions.put("label-" + l, caption(codecs, modelId, l, "h" + l, prompts[l], 1f));
                }
                LabelSets sets = new LabelSets(codecs, new CaptionEmbedder(inference), settings.defaultThreshold(),
                        settings.actionOrder(), new AtomicLong());
                LabelMatrix matrix = sets.get("default", captions);
                long t0 = System.nanoTime();
                for (int i = 0; i < images; i += 32) {
                    matrix.scoreAll(Arrays.copyOfRange(embeddings, i, Math.min(images, i + 32)), scoring);
                }
                report("scoring only, 32 at a time (LabelMatrix.scoreAll)", images, System.nanoTime() - t0, -1);
            }
            for (String change : List.of("every prompt", "one label added", "one threshold",
                    "one threshold, all positive")) {
                for (int round = 0; round < ROUNDS; round++) {
                    KeyValueStore<String, byte[]> captions = store(context, "c-" + change + round, false);
                    for (int l = 0; l < labels; l++) {
                        captions.put("label-" + l, caption(codecs, modelId, l, "h" + l, prompts[l], 1f));
                    }
                    AtomicLong generation = new AtomicLong();
                    LabelSets sets = new LabelSets(codecs, new CaptionEmbedder(inference),
                            settings.defaultThreshold(), settings.actionOrder(), generation);
                    LabelMatrix before = sets.get("default", captions);
                    KeyValueStore<String, byte[]> store = store(context, "r-" + change + round, true);
                    RetainedImages retained = new RetainedImages(store, relabel, limits, "changelog",
                            modelId);
                    for (int i = 0; i < images; i += 32) {
                        float[][] block = Arrays.copyOfRange(embeddings, i, Math.min(images, i + 32));
                        LabelMatrix.Scores[] scores = before.scoreAll(block, scoring);
                        for (int j = 0; j < block.length; j++) {
                            retained.put(new RetainedImages.Addition(new RetainedImage("image-" + (i + j),
                                    "https://example.com/" + (i + j) + ".jpg", "default", modelId,
                                    Map.of("source", "timing"), 24, 32, 1000L + i + j, "ab".repeat(32), block[j],
                                    1000L + i + j, RetainedImage.LabelState.of(before, scores[j])),
                                    before.setLabels()));
                        }
                    }
                    switch (change) {
                        case "every prompt" -> {
                            for (int l = 0; l < labels; l++) {
                                captions.put("label-" + l, caption(codecs, modelId, l, "reworded-" + l,
                                        prompts[(l + 1) % labels], 1f));
                            }
                        }
                        case "one label added" -> captions.put("label-" + labels,
                                caption(codecs, modelId, labels, "h" + labels, prompts[labels], 1f));
                        case "one threshold" -> captions.put("label-0",
                                caption(codecs, modelId, 0, "h0", prompts[0], 0.99f));
                        default -> captions.put("label-0", caption(codecs, modelId, 0, "h0", prompts[0], 0f));
                    }
                    generation.incrementAndGet();
                    LabelingMetrics metrics = new LabelingMetrics(new SimpleMeterRegistry());
                    Relabeler relabeler = new Relabeler(relabel, retained, scoring, codecs, limits, metrics, modelId);
                    long[] published = {0};
                    Consumer<Output> publish = o -> published[0]++;
                    long now = 2000L + images;
                    relabeler.step(now, Long.MAX_VALUE, sets, captions, publish);
                    long t0 = System.nanoTime();
                    relabeler.step(now + relabel.delay().toMillis(), Long.MAX_VALUE, sets, captions,
                            publish);
                    long nanos = System.nanoTime() - t0;
                    double rescored = metrics.registry().get("fgclip2.relabel.rescored")
                            .counter().count();
                    if (rescored != images) {
                        throw new IllegalStateException("re-scored " + rescored + " of " + images + " images");
                    }
                    report("sweep after a change of " + change, images, nanos, published[0]);
                    store.close();
                }
            }
        }
    }

    private static byte[] caption(RecordCodecs codecs, String modelId, int label, String promptsHash, float[] prompt,
                                  float threshold) {
        return codecs.write(CaptionEmbeddings.newBuilder().setLabelId("label-" + label).setLabelSet("default")
                .setModelId(modelId).setPromptsHash(promptsHash).setPrompts(List.of("prompt " + label))
                .setEmbeddings(List.of(AvroFloats.toList(prompt))).setBoxPrompt("prompt " + label)
                .setBoxEmbedding(AvroFloats.toList(prompt)).setThreshold(threshold).setEmbeddedAt(Instant.EPOCH)
                .build());
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<String, byte[]> context, String name,
                                                      boolean persistent) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(persistent
                        ? Stores.persistentKeyValueStore(name.replace(' ', '-'))
                        : Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
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

    private static void report(String what, int images, long nanos, long published) {
        System.out.printf("%-52s %9.0f images/s  (%d images, %.1f ms%s)%n", what, images / (nanos / 1e9), images,
                nanos / 1e6, published < 0 ? "" : ", " + published + " published");
    }
}
