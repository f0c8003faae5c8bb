package org.fgclip2.app.bench;

import io.micrometer.core.instrument.DistributionSummary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fgclip2.app.cli.FileTrees;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.app.localkafka.BrokerClasses;
import org.fgclip2.app.localkafka.LocalKafkaBroker;
import org.fgclip2.app.localkafka.LocalKafkaClients;
import org.fgclip2.app.run.LabelingApp;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.preprocess.PatchedImage;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.topology.PatchBuckets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput and latency through a real broker and registry, against the model alone on the same
 * images at the same batch size. For each batch size: (1) model only: the images (the first 1 000 at most)
 * pre-processed, then run through the vision tower in bucket-grouped batches; pre-processing (read, decode, resize, patchify) is timed too, so that
 * the second reference, model plus pre-processing, holds all the work the pipeline does besides Kafka, Avro and
 * batching — on a machine whose cores the model already fills, that work is not free; (2) pipeline throughput: all events produced up front, timed from the
 * first to the last ImageLabels record a read_committed consumer receives; (3) latency: events produced at half the
 * measured pipeline rate, event timestamp to consumer receipt, p50/p99. Images have random sizes, so padding waste
 * under a mixed load is reported too. With {@code --trickling-urls}, each latency run is repeated with URLs of a
 * local host that sends one byte a second mixed in, and the latency of the good images is compared: fetch isolation.
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true,
        description = "Measure events/s and event-to-label latency through a real broker, and the ratio to the model alone.")
public final class PipelineBenchCommand implements Callable<Integer> {

    /**
     * Images the model-only reference runs on: it holds them all pre-processed at once, and a rate needs no more
     * (10 000 images of up to 1 024 patches would take about 20 GB).
     */
    private static final int MODEL_ONLY_SAMPLE = 1000;

    @Option(names = "--model", paramLabel = "DIR", description = "Checkpoint folder (default: a random --arch checkpoint).")
    Path model;

    @Option(names = "--arch", defaultValue = "tiny", description = "Architecture of the random checkpoint. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--events", defaultValue = "400", description = "Events per throughput run. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--latency-events", defaultValue = "100", description = "Events per latency run. Default: ${DEFAULT-VALUE}.")
    int latencyEvents;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", description = "Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(names = "--min-side", defaultValue = "64", description = "Smallest image side in pixels. Default: ${DEFAULT-VALUE}.")
    int minSide;

    @Option(names = "--max-side", defaultValue = "640", description = "Largest image side in pixels. Default: ${DEFAULT-VALUE}.")
    int maxSide;

    @Option(names = "--threads", description = "Intra-op CPU threads of the engine (default: all cores).")
    Integer threads;

    @Option(names = "--trickling-urls", defaultValue = "0", paramLabel = "N",
            description = "Repeat each latency run with N more events whose URLs a local host answers at one byte a"
                    + " second, mixed in evenly, and report the good images' latency in both. Default: ${DEFAULT-VALUE}.")
    int tricklingUrls;

    @Option(names = "--latency-rate", paramLabel = "EVENTS_PER_S",
            description = "Events per second in the latency runs (default: half the measured pipeline rate).")
    Double latencyRate;

    @Option(names = "--images-over-http", description = "Serve the images from a local HTTP server instead of file:.")
    boolean imagesOverHttp;

    @Option(names = "--repeats", paramLabel = "FRACTION", defaultValue = "0",
            description = "Fraction of the throughput events that repost an earlier picture under a new id and file"
                    + " name (what the embedding cache serves). Default: ${DEFAULT-VALUE}.")
    double repeats;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "An app setting for the measured runs (repeatable), e.g. processing.guarantee=at_least_once.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        BrokerClasses.require("bench-pipeline");
        Path work = Files.createTempDirectory("fgclip2-bench-pipeline-");
        Path checkpoint = model;
        if (checkpoint == null) {
            checkpoint = work.resolve("model-" + arch);
            System.err.printf("writing a random %s checkpoint ...%n", arch);
            RandomCheckpoint.write(checkpoint, ModelPresets.get(arch), RandomCheckpoint.Options.DEFAULT);
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path images = Files.createDirectories(work.resolve("images"));
        List<String> uris = writeImages(images, Math.max(events, latencyEvents));
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Setup.defaults()
                .withDataDirectory(Files.createDirectories(work.resolve("kafka"))));
             LocalSchemaRegistry registry = LocalSchemaRegistry.start();
             BenchImageServer imageServer = imagesOverHttp ? BenchImageServer.serving(images) : null;
             BenchImageServer trickling = tricklingUrls > 0 ? BenchImageServer.trickling() : null) {
            if (imageServer != null) {
                uris.replaceAll(uri -> imageServer.uri(uri.substring(uri.lastIndexOf('/'))));
            }
            List<String> slow = new ArrayList<>();
            for (int i = 0; i < tricklingUrls; i++) {
                slow.add(trickling.uri("/slow-" + i + ".jpg"));
            }
            System.out.printf("model %s, %d events of %d..%d px, images %s, %d cores%n%n", checkpoint.getFileName(),
                    events, minSide, maxSide, imagesOverHttp ? "over http" : "file:",
                    Runtime.getRuntime().availableProcessors());
            String columns = "| batch | model-only img/s | model + pre-processing img/s | pipeline events/s "
                    + "| ratio to model | ratio to model + pre-processing | latency p50 ms | p99 ms | padded slots |";
            String alignment = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
            if (tricklingUrls > 0) {
                columns += " latency events/s | with " + tricklingUrls + " trickling: p50 ms | p99 ms | p99 ratio |";
                alignment += "---:|---:|---:|---:|";
            }
            System.out.println(columns);
            System.out.println(alignment);
            for (int batch : batchSizes) {
                runOne(broker, registry, checkpoint, images, uris, slow, batch, work);
            }
        } finally {
            FileTrees.delete(work);
        }
        return 0;
    }

    private void runOne(LocalKafkaBroker broker, LocalSchemaRegistry registry, Path checkpoint, Path images,
                        List<String> uris, List<String> slow, int batch, Path work) throws Exception {
        String prefix = "bench-b" + batch + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> s = new HashMap<>();
        s.put("model", checkpoint.toString());
        s.put("model.device", "cpu");
        s.put("bootstrap.servers", broker.bootstrapServers());
        s.put("schema.registry.url", registry.url().toString());
        s.put("application.id", prefix);
        s.put("state.dir", work.resolve("state-" + prefix).toString());
        s.put("fetch.file-root", images.toString());
        s.put("heatmaps.max-per-image", "0");
        s.put("http.port", "-1");
        s.put("batch.max-size", String.valueOf(batch));
        s.put("batch.max-wait", "100ms");
        s.put("topics.partitions", "3");
        if (imagesOverHttp || !slow.isEmpty()) {
            s.put("fetch.allow-loopback", "true");
        }
        for (String t : List.of("images", "label-definitions", "caption-embeddings", "image-labels", "region-heatmaps",
                "dead-letters", "image-embeddings", "embedding-cache")) {
            s.put("topics." + t, prefix + "." + t);
        }
        s.putAll(overrides);
        ConfluentAvroSerdes avro = ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(registry.url().toString()));
        try (LabelingApp app = LabelingApp.start(new AppConfig(s))) {
            ModelOnly modelOnly = modelOnlyRate(app.inference(), images,
                    uris.subList(0, Math.min(events, MODEL_ONLY_SAMPLE)), batch,
                    app.services().settings().batch().patchBudget());
            produce(broker, avro, prefix + ".label-definitions", List.of(LabelDefinition.newBuilder().setLabelId("cat")
                    .setPrompts(List.of("a photo of a cat", "一只猫")).build()), LabelDefinition::getLabelId);
            if (!app.awaitLabels(1, Duration.ofMinutes(5))) {
                throw new IllegalStateException("the label did not reach the caption store within 5 minutes");
            }
            // warm-up: one event per bucket size class so the batch sizer has measured each bucket
            produceEvents(broker, avro, prefix, uris.subList(0, 8), "warm-");
            consume(broker, prefix + ".image-labels", 8, Duration.ofMinutes(10));

            List<String> throughputUris = withReposts(images, uris.subList(0, events));
            long t0 = System.nanoTime();
            produceEvents(broker, avro, prefix, throughputUris, "tp-");
            List<Long> arrivals = consume(broker, prefix + ".image-labels", 8 + events, Duration.ofMinutes(60));
            double seconds = (System.nanoTime() - t0) / 1e9;
            double pipeline = events / seconds;
            System.err.printf("batch %d: the model ran on %.0f images for %d events (%.0f %% reposts); embedding cache"
                    + " hits %.0f%n", batch, count(app, "fgclip2.model.images"), 8 + events, 100 * repeats,
                    count(app, "fgclip2.embedding.cache.hits"));
            DistributionSummary fill = app.metrics().find("fgclip2.batch.patch.fill").summary();

            double rate = latencyRate != null ? latencyRate : pipeline / 2;
            List<String> good = uris.subList(0, latencyEvents);
            List<Double> latencies = latencyRun(broker, avro, prefix, good, List.of(), rate);
            double padded = 1 - fill.mean();
            System.out.printf("| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f | %.1f %% |", batch,
                    modelOnly.forwardRate(), modelOnly.withPreprocessingRate(), pipeline,
                    pipeline / modelOnly.forwardRate(), pipeline / modelOnly.withPreprocessingRate(),
                    percentile(latencies, 0.5), percentile(latencies, 0.99), 100 * padded);
            if (!slow.isEmpty()) {
                List<Double> withSlow = latencyRun(broker, avro, prefix, good, slow, rate);
                System.out.printf(" %.2f | %.0f | %.0f | %.2f |", rate, percentile(withSlow, 0.5),
                        percentile(withSlow, 0.99), percentile(withSlow, 0.99) / percentile(latencies, 0.99));
            }
            System.out.println();
            if (arrivals.size() < 8 + events) {
                System.out.println("  (only " + arrivals.size() + " labels arrived)");
            }
        }
    }

    /** Model-only throughput, and the same work with fetching, decoding and pre-processing counted in. */
    private record ModelOnly(double forwardRate, double withPreprocessingRate) {
    }

    /** Batches as the pipeline forms them at best: one bucket each, at most {@code batch} images and the patch budget. */
    private ModelOnly modelOnlyRate(FgClip2Inference inference, Path images, List<String> uris, int batch,
                                    int patchBudget) throws Exception {
        ImageDecoder decoder = new ImageDecoder(new AppConfig(Map.of()).imageLimits(), true);
        Map<Integer, List<PatchedImage>> byBucket = new LinkedHashMap<>();
        long p0 = System.nanoTime();
        for (String uri : uris) {
            PatchedImage p = inference.imageProcessor().preprocess(decoder.decode(Files.readAllBytes(
                    images.resolve(uri.substring(uri.lastIndexOf('/') + 1)))));
            byBucket.computeIfAbsent(PatchBuckets.of(p.patchCount()), b -> new ArrayList<>()).add(p);
        }
        double preprocessSeconds = (System.nanoTime() - p0) / 1e9;
        List<List<PatchedImage>> batches = new ArrayList<>();
        List<List<PatchedImage>> firstOfEachBucket = new ArrayList<>();
        for (Map.Entry<Integer, List<PatchedImage>> group : byBucket.entrySet()) {
            int size = Math.max(1, Math.min(batch, patchBudget / group.getKey()));
            List<PatchedImage> list = group.getValue();
            firstOfEachBucket.add(list.subList(0, Math.min(list.size(), size)));
            for (int i = 0; i < list.size(); i += size) {
                batches.add(list.subList(i, Math.min(list.size(), i + size)));
            }
        }
        // one batch of each shape first: the first forward of a shape pays allocation and kernel selection
        firstOfEachBucket.forEach(inference::embedImages);
        long t0 = System.nanoTime();
        batches.forEach(inference::embedImages);
        double forwardSeconds = (System.nanoTime() - t0) / 1e9;
        return new ModelOnly(uris.size() / forwardSeconds, uris.size() / (forwardSeconds + preprocessSeconds));
    }

    /**
     * Produces {@code uris} at {@code rate} and returns their event-to-label latencies; the {@code slow} URIs are
     * produced evenly among them, each alongside a good one, and only the good ones are timed.
     */
    private List<Double> latencyRun(LocalKafkaBroker broker, ConfluentAvroSerdes avro, String prefix, List<String> uris,
                                    List<String> slow, double rate) throws Exception {
        var serializer = avro.specific(ImageEvent.class, false).serializer();
        String topic = prefix + ".images";
        List<Double> latencies = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(broker);
             KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
            consumer.subscribe(List.of(prefix + ".image-labels"));
            consumer.poll(Duration.ofMillis(500));
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            long interval = (long) (1e9 / Math.max(rate, 0.1));
            long next = System.nanoTime();
            int sent = 0;
            int slowSent = 0;
            Map<String, Long> sentAt = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (latencies.size() < uris.size() && System.nanoTime() < deadline) {
                if (sent < uris.size() && System.nanoTime() >= next) {
                    String id = "lat-" + sent;
                    long now = System.currentTimeMillis();
                    ImageEvent e = ImageEvent.newBuilder().setId(id).setUri(uris.get(sent)).build();
                    producer.send(new ProducerRecord<>(topic, null, now, id, serializer.serialize(topic, e)));
                    sentAt.put(id, now);
                    sent++;
                    if (slowSent < slow.size() && (long) sent * slow.size() >= (long) (slowSent + 1) * uris.size()) {
                        String slowId = "slow-" + slowSent;
                        ImageEvent slowEvent = ImageEvent.newBuilder().setId(slowId).setUri(slow.get(slowSent))
                                .build();
                        producer.send(new ProducerRecord<>(topic, null, now, slowId,
                                serializer.serialize(topic, slowEvent)));
                        slowSent++;
                    }
                    next += interval;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    Long at = sentAt.remove(r.key());
                    if (at != null) {
                        latencies.add((double) (System.currentTimeMillis() - at));
                    }
                }
            }
        }
        return latencies;
    }

    private void produceEvents(LocalKafkaBroker broker, ConfluentAvroSerdes avro, String prefix, List<String> uris,
                               String idPrefix) {
        List<ImageEvent> list = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            list.add(ImageEvent.newBuilder().setId(idPrefix + i).setUri(uris.get(i)).build());
        }
        produce(broker, avro, prefix + ".images", list, ImageEvent::getId);
    }

    private static <T extends SpecificRecord> void produce(LocalKafkaBroker broker,
            ConfluentAvroSerdes avro, String topic, List<T> records, Function<T, String> key) {
        if (records.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) records.get(0).getClass();
        var serializer = avro.specific(type, false).serializer();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            for (T r : records) {
                producer.send(new ProducerRecord<>(topic, key.apply(r), serializer.serialize(topic, r)));
            }
        }
    }

    /** Sends at once: latency is measured from the send. */
    private static KafkaProducer<String, byte[]> producer(LocalKafkaBroker broker) {
        return LocalKafkaClients.producer(broker.bootstrapServers(), Duration.ZERO);
    }

    private static KafkaConsumer<String, byte[]> consumer(LocalKafkaBroker broker) {
        return LocalKafkaClients.readCommittedConsumer(broker.bootstrapServers(), "bench-");
    }

    /** Reads until {@code count} records arrived; returns their arrival times. */
    private static List<Long> consume(LocalKafkaBroker broker, String topic, int count, Duration timeout) {
        List<Long> arrivals = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
            consumer.subscribe(List.of(topic));
            while (arrivals.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> ignored : consumer.poll(Duration.ofMillis(20))) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        return arrivals;
    }

    /** The events' URIs with a fraction {@code repeats} of them replaced by a copy of an earlier one, elsewhere. */
    private List<String> withReposts(Path images, List<String> originals) throws IOException {
        Random random = new Random(11);
        List<String> out = new ArrayList<>(originals.size());
        for (int i = 0; i < originals.size(); i++) {
            if (i > 0 && random.nextDouble() < repeats) {
                Path earlier = Path.of(URI.create(out.get(random.nextInt(i))));
                Path copy = images.resolve("repost-" + i + ".jpg");
                Files.copy(earlier, copy, StandardCopyOption.REPLACE_EXISTING);
                out.add(copy.toUri().toString());
            } else {
                out.add(originals.get(i));
            }
        }
        return out;
    }

    private static double count(LabelingApp app, String counter) {
        var found = app.metrics().find(counter).counter();
        return found == null ? 0 : found.count();
    }

    private List<String> writeImages(Path dir, int count) throws Exception {
        Random random = new Random(7);
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int w = minSide + random.nextInt(maxSide - minSide + 1);
            int h = minSide + random.nextInt(maxSide - minSide + 1);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y += 4) {
                for (int x = 0; x < w; x += 4) {
                    int rgb = random.nextInt(0xFFFFFF);
                    for (int dy = 0; dy < 4 && y + dy < h; dy++) {
                        for (int dx = 0; dx < 4 && x + dx < w; dx++) {
                            img.setRGB(x + dx, y + dy, rgb);
                        }
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", out);
            Path file = dir.resolve("img-" + i + ".jpg");
            Files.write(file, out.toByteArray());
            uris.add(file.toUri().toString());
        }
        return uris;
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
