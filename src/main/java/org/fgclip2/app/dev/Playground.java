package org.fgclip2.app.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fgclip2.app.cli.FileTrees;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.app.config.ConfigSource;
import org.fgclip2.app.labels.LabelDefinitionsTopic;
import org.fgclip2.app.labels.LabelFile;
import org.fgclip2.app.labels.LabelPlan;
import org.fgclip2.app.localkafka.LocalKafkaBroker;
import org.fgclip2.app.localkafka.LocalKafkaClients;
import org.fgclip2.app.run.LabelingApp;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.concurrent.DaemonThreads;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.topology.TopicNames;

/**
 * A complete local installation on 127.0.0.1: a real single-node Kafka broker, the real schema registry, the
 * labelling application, a sample label set and sample pictures, and a printer of the results. Everything it
 * starts it stops on {@link #close()}, and its working folder is deleted.
 */
public final class Playground implements AutoCloseable {

    /** What the user chose on the command line. */
    public record Choices(String model, String device, String dtype, Integer threads, Path imageRoot, Path heatmapDir,
                          boolean samples, Path registryJar) {
    }

    private final PrintStream out;
    private final Path work;
    private final boolean deleteHeatmaps;
    private LocalKafkaBroker broker;
    private LocalSchemaRegistry registry;
    private SampleImages samples;
    private LabelingApp app;
    private OutputPrinter printer;
    private boolean closed;

    private Playground(PrintStream out, Path work, boolean deleteHeatmaps) {
        this.out = out;
        this.work = work;
        this.deleteHeatmaps = deleteHeatmaps;
    }

    public static Playground start(Choices choices, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("fgclip2-dev-");
        Playground p = new Playground(out, work, choices.heatmapDir() == null);
        try {
            p.run(choices, t0);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void run(Choices choices, long t0) throws Exception {
        // The registry is a separate JVM that takes seconds to start: start it while the broker starts here.
        CompletableFuture<LocalSchemaRegistry> registryStart = new CompletableFuture<>();
        var starter = Executors.newSingleThreadExecutor(r -> new Thread(r, "fgclip2-dev-registry-start"));
        starter.submit(() -> {
            try {
                registryStart.complete(LocalSchemaRegistry.start(LocalSchemaRegistry.locateJar(choices.registryJar()), 0));
            } catch (Throwable e) {
                registryStart.completeExceptionally(e);
            }
        });
        starter.shutdown();
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Setup.defaults()
                .withDataDirectory(Files.createDirectories(work.resolve("kafka"))).withCloseOnJvmShutdown(false));
        try {
            registry = registryStart.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
        out.println("KAFKA_BOOTSTRAP=" + broker.bootstrapServers());
        out.println("SCHEMA_REGISTRY_URL=" + registry.url());
        out.flush();

        Path heatmaps = choices.heatmapDir() != null ? choices.heatmapDir() : work.resolve("heatmaps");
        // the playground's own broker, registry and folders over the FGCLIP2_* settings, which win over its defaults
        Map<String, String> settings = new HashMap<>(Map.of("topics.partitions", "3", "log.progress-interval", "60s"));
        settings.putAll(ConfigSource.load(null, System.getenv()));
        settings.put("model", choices.model());
        settings.put("model.device", choices.device());
        settings.put("model.dtype", choices.dtype());
        if (choices.threads() != null) {
            settings.put("model.threads", String.valueOf(choices.threads()));
        }
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", registry.url().toString());
        settings.put("application.id", "fgclip2-dev");
        settings.put("state.dir", work.resolve("streams").toString());
        settings.put("fetch.file-root", choices.imageRoot().toAbsolutePath().normalize().toString());
        settings.put("fetch.allow-loopback", "true");
        settings.put("heatmaps.store", "local");
        settings.put("heatmaps.dir", heatmaps.toString());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        AppConfig config = new AppConfig(settings);
        app = LabelingApp.start(config);
        stopWhenTheLabellerDoes();
        warnIfRandom(app.inference().info().name());
        out.printf("HTTP=http://127.0.0.1:%d (health, metrics, /labels/default, /images/{id}/labels)%n", app.httpPort());
        out.println("IMAGE_ROOT=" + choices.imageRoot().toAbsolutePath().normalize() + " (file: URIs allowed under it)");
        out.println("HEATMAPS=" + heatmaps);

        ConfluentAvroSerdes avro = ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(registry.url().toString()));
        TopicNames topics = app.services().settings().topics();
        printer = new OutputPrinter(broker.bootstrapServers(), avro, topics, out);
        printer.start();
        int labels = publishSampleLabels(config);
        if (!app.awaitLabels(labels, Duration.ofMinutes(2))) {
            throw new IllegalStateException("the sample labels did not reach the caption store within 2 minutes");
        }
        if (choices.samples()) {
            samples = SampleImages.serve();
            publishSamples(avro, topics);
        }
        out.printf("ready in %.1f s; produce ImageEvent records to %s (Ctrl-C stops everything)%n",
                (System.nanoTime() - t0) / 1e9, topics.images());
        out.flush();
    }

    private void warnIfRandom(String model) {
        Path file = Path.of(model).resolve("model.safetensors");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String generator = f.metadata().getOrDefault("generator", "");
            if (generator.contains("random")) {
                out.println("**************************************************************************");
                out.println("* NOTICE: " + model + " holds RANDOM weights.");
                out.println("* Its labels and heatmaps mean nothing; use the real model for results.");
                out.println("**************************************************************************");
            }
        } catch (IOException | RuntimeException e) {
            // not a single-file checkpoint we can read: nothing to say
        }
    }

    /** The bilingual sample label set, loaded the way the {@code labels} command loads a file. */
    private int publishSampleLabels(AppConfig config) throws IOException {
        Path file = work.resolve("sample-labels.yaml");
        try (var in = Playground.class.getResourceAsStream("/org/fgclip2/app/dev/sample-labels.yaml")) {
            Files.copy(in, file);
        }
        LabelFile labels = LabelFile.read(file, null, app.services().settings().labelLimits());
        LabelDefinitionsTopic topic = new LabelDefinitionsTopic(config);
        topic.apply(LabelPlan.of(labels, topic.read(), false));
        out.println("published " + labels.labels().size() + " sample labels (English and Chinese prompts) to "
                + topic.name() + "; load your own with: labels load FILE --bootstrap-servers "
                + broker.bootstrapServers() + " --schema-registry-url " + registry.url());
        return labels.labels().size();
    }

    private void publishSamples(ConfluentAvroSerdes avro, TopicNames topics) {
        var serializer = avro.specific(ImageEvent.class, false).serializer();
        try (KafkaProducer<String, byte[]> p = LocalKafkaClients.producer(broker.bootstrapServers(),
                LocalKafkaClients.DEFAULT_LINGER)) {
            for (String name : SampleImages.NAMES) {
                ImageEvent e = ImageEvent.newBuilder().setId(name + ".png").setUri(samples.uri(name))
                        .setAttributes(Map.of("source", "dev-samples")).build();
                p.send(new ProducerRecord<>(topics.images(), e.getId(), serializer.serialize(topics.images(), e)));
            }
        }
        out.println("fed " + SampleImages.NAMES.size() + " sample pictures (served at " + samples.uri("*") + ")");
    }

    /**
     * Stops everything when the labeller stops by itself (Kafka Streams failed for good), so that {@code dev} ends
     * with the reason instead of running on without labelling.
     */
    private void stopWhenTheLabellerDoes() {
        DaemonThreads.start("fgclip2-dev-watch", () -> {
            try {
                app.awaitStop();
            } catch (InterruptedException e) {
                return;
            }
            app.failure().ifPresent(reason -> {
                out.println("error: the labeller stopped: " + reason);
                close();
            });
        });
    }

    /** Why the playground stopped by itself, if it did. */
    public Optional<String> failure() {
        return app == null ? Optional.empty() : app.failure();
    }

    /** Blocks until {@link #close()}. */
    public void awaitStop() throws InterruptedException {
        synchronized (this) {
            while (!closed) {
                wait();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<Throwable> problems = new ArrayList<>();
        quietly(problems, () -> {
            if (printer != null) {
                printer.close();
            }
        });
        quietly(problems, () -> {
            if (app != null) {
                app.close();
            }
        });
        quietly(problems, () -> {
            if (samples != null) {
                samples.close();
            }
        });
        quietly(problems, () -> {
            if (registry != null) {
                registry.close();
                Files.deleteIfExists(registry.logFile());
            }
        });
        quietly(problems, () -> {
            if (broker != null) {
                broker.close();
            }
        });
        quietly(problems, () -> FileTrees.delete(work));
        closed = true;
        notifyAll();
        for (Throwable t : problems) {
            out.println("while stopping: " + t);
        }
    }

    private interface CloseStep {
        void run() throws Exception;
    }

    private static void quietly(List<Throwable> problems, CloseStep step) {
        try {
            step.run();
        } catch (Exception e) {
            problems.add(e);
        }
    }
}
