package org.fgclip2.app.run;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.concurrent.DaemonThreads;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.heatmap.LocalDirectoryHeatmapStore;
import org.fgclip2.heatmap.s3.S3HeatmapStore;
import org.fgclip2.hub.ModelLocator;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.ImageLimits;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.topology.LabelingMetrics;
import org.fgclip2.topology.LabelingServices;
import org.fgclip2.topology.LabelingTopology;
import org.fgclip2.topology.OutputLimits;
import org.fgclip2.topology.PublishFailureHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: the model, the Kafka Streams application, and the HTTP endpoint, wired from an
 * {@link AppConfig}. Scale out by starting more instances with the same {@code application.id}.
 */
public final class LabelingApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelingApp.class);

    private final AppConfig config;
    private final FgClip2Inference inference;
    private final LabelingServices services;
    private final HeatmapStore heatmaps;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmMeters jvmMeters;
    private OpsServer http;
    private final ScheduledExecutorService progress;
    private final StreamThreadFailures threadFailures;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String failure;

    private LabelingApp(AppConfig config, FgClip2Inference inference, LabelingServices services, HeatmapStore heatmaps,
                        KafkaStreams streams, PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics,
                        JvmMeters jvmMeters,
                        ScheduledExecutorService progress, StreamThreadFailures threadFailures) {
        this.config = config;
        this.inference = inference;
        this.services = services;
        this.heatmaps = heatmaps;
        this.streams = streams;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
        this.jvmMeters = jvmMeters;
        this.progress = progress;
        this.threadFailures = threadFailures;
    }

    /** Checks what can be checked first, loads the model, starts the streams and the HTTP endpoint. */
    public static LabelingApp start(AppConfig config) throws IOException, InterruptedException {
        LogFormat.apply(config.logFormat());
        LOG.info("configuration: {}", config.effective());
        OutputLimits limits = Preflight.check(config);
        HeatmapStore heatmaps = openHeatmapStore(config);
        config.get("model.threads").ifPresent(n -> {
            System.setProperty("ai.djl.pytorch.num_threads", n);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        });
        String modelArg = config.string("model");
        Path folder = ModelLocator.fromEnvironment().resolve(modelArg);
        FgClip2Inference inference;
        try {
            inference = FgClip2Inference.load(folder, modelArg, InferenceOptions.on(config.device(), config.precision()));
        } catch (IOException | RuntimeException e) {
            heatmaps.close();
            throw e;
        }
        LOG.info("model {} loaded on {} ({})", inference.info().id(), inference.info().device(),
                inference.info().precision());
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            JvmMeters jvmMeters = new JvmMeters(registry);
            Properties props = config.streamsProperties();
            LabelingServices services = new LabelingServices(inference, ConfluentAvroSerdes.connect(config.avro()),
                    new ImageFetcher(config.fetchPolicy()),
                    new ImageDecoder(config.imageLimits(), true),
                    heatmaps, config.labeling(),
                    new LabelingMetrics(registry), limits);
            props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, PublishFailureHandler.class);
            props.put(PublishFailureHandler.LEDGER_CONFIG, services.ledger());
            Topology topology = LabelingTopology.build(services);
            KafkaStreams streams = new KafkaStreams(topology, props);
            StreamThreadFailures threadFailures = new StreamThreadFailures(config.integer("streams.max-thread-failures"),
                    config.duration("streams.thread-failure-window"), registry);
            streams.setUncaughtExceptionHandler(threadFailures);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            ScheduledExecutorService progress =
                    Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fgclip2-progress"));
            LabelingApp running = new LabelingApp(config, inference, services, heatmaps, streams, registry,
                    streamsMetrics, jvmMeters, progress, threadFailures);
            streams.setStateListener(running::stateChanged);
            Gauge.builder("fgclip2.ready", running, app -> app.notReadyBecause().isEmpty() ? 1 : 0)
                    .description("1 while /health/ready answers 200, 0 while it answers 503").register(registry);
            running.http = OpsServer.start(config, running);
            LOG.info("static group membership as {} (session timeout {})", config.instanceId(),
                    config.duration("group.session-timeout"));
            streams.start();
            Duration every = config.duration("log.progress-interval");
            progress.scheduleAtFixedRate(new ProgressLog(running), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            return running;
        } catch (IOException | RuntimeException e) {
            inference.close();
            heatmaps.close();
            throw e;
        }
    }

    /** Before the model loads, so that a bad S3 region fails in seconds; the first upload reaches the bucket. */
    private static HeatmapStore openHeatmapStore(AppConfig config) {
        var s3 = config.heatmapS3();
        if (s3.isEmpty()) {
            return new LocalDirectoryHeatmapStore(Path.of(config.string("heatmaps.dir")));
        }
        try {
            HeatmapStore store = new S3HeatmapStore(s3.get());
            LOG.info("heatmaps go to s3://{}/{}{}", s3.get().bucket(), s3.get().prefix(),
                    s3.get().presigns() ? " (published as URLs pre-signed for " + s3.get().presignTtl() + ")" : "");
            return store;
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /**
     * Kafka Streams in ERROR processes nothing more and never recovers by itself: the instance stops, and the
     * process exits with status 1 so that an orchestrator restarts it.
     */
    private void stateChanged(KafkaStreams.State now, KafkaStreams.State before) {
        LOG.info("streams {} -> {}", before, now);
        if (now == KafkaStreams.State.ERROR && failure == null) {
            failure = "Kafka Streams stopped in state ERROR (see the errors above); exiting so that the instance is"
                    + " restarted";
            DaemonThreads.start("fgclip2-stop-on-error", this::close);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public FgClip2Inference inference() {
        return inference;
    }

    public LabelingServices services() {
        return services;
    }

    public LabelingMetrics labelingMetrics() {
        return services.metrics();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public AppConfig config() {
        return config;
    }

    /**
     * Waits until this instance's caption store holds at least {@code count} labels, so that images sent from now
     * on find them (an image of a set without labels is a dead letter); false after {@code timeout}.
     */
    public boolean awaitLabels(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var store = streams.store(StoreQueryParameters.fromNameAndType(LabelingTopology.CAPTION_STORE,
                        QueryableStoreTypes.<String, byte[]>keyValueStore()));
                if (store.approximateNumEntries() >= count) {
                    return true;
                }
            } catch (InvalidStateStoreException e) {
                // not running yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Why the instance does not label right now, if it does not: Kafka Streams not RUNNING (starting, rebalancing,
     * stopped), a failed stream thread waiting for its replacement, or a model whose forwards keep failing. Empty
     * when ready. The model is loaded once the instance exists.
     */
    public Optional<String> notReadyBecause() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return Optional.of(failure != null ? failure : "Kafka Streams is " + state);
        }
        return threadFailures.problem().or(() -> services.health().problem());
    }

    /** Why the instance stopped by itself, if it did: the process should exit with a failure. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean alive() {
        KafkaStreams.State s = streams.state();
        return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING && s != KafkaStreams.State.PENDING_ERROR;
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.info("stopping");
        progress.shutdownNow();
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        jvmMeters.close();
        if (http != null) {
            http.close();
        }
        services.close();
        heatmaps.close();
        inference.close();
        stopped.countDown();
    }
}
