package org.fgclip2.app;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.heatmap.LocalDirectoryHeatmapStore;
import org.fgclip2.hub.ModelLocator;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.preprocess.ImageDecoder;
import org.fgclip2.preprocess.ImageLimits;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.topology.LabelingMetrics;
import org.fgclip2.topology.LabelingServices;
import org.fgclip2.topology.LabelingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: the model, the Kafka Streams application, and the HTTP endpoint, wired from an
 * {@link AppConfig}. Scale out by starting more instances with the same {@code application.id}.
 */
public final class LabelingApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabelingApp.class);

    private final AppConfig config;
    private final FgClip2Inference model;
    private final LabelingServices services;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private OpsServer http;
    private final ScheduledExecutorService progress;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LabelingApp(AppConfig config, FgClip2Inference model, LabelingServices services, KafkaStreams streams,
                        PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics,
                        ScheduledExecutorService progress) {
        this.config = config;
        this.model = model;
        this.services = services;
        this.streams = streams;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
        this.progress = progress;
    }

    /** Loads the model, creates missing topics, starts the streams and the HTTP endpoint. */
    public static LabelingApp start(AppConfig config) throws IOException, InterruptedException {
        LOG.info("configuration: {}", config.effective());
        config.get("model.threads").ifPresent(n -> {
            System.setProperty("ai.djl.pytorch.num_threads", n);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        });
        String modelArg = config.string("model");
        Path folder = ModelLocator.fromEnvironment().resolve(modelArg);
        FgClip2Inference model = FgClip2Inference.load(folder, modelArg,
                InferenceOptions.DEFAULTS.withDevice(config.device()).withPrecision(config.precision()));
        LOG.info("model {} loaded on {} ({})", model.info().id(), model.info().device(), model.info().precision());
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            LabelingServices services = new LabelingServices(model, ConfluentAvroSerdes.connect(config.avro()),
                    new ImageFetcher(config.fetchPolicy()),
                    new ImageDecoder(new ImageLimits(config.longValue("fetch.max-bytes"),
                            config.longValue("image.max-pixels"), ImageLimits.DEFAULT_MAX_SIDE), true),
                    new LocalDirectoryHeatmapStore(Path.of(config.string("heatmaps.dir"))), config.labeling(),
                    new LabelingMetrics(registry));
            Properties props = config.streamsProperties();
            if (config.bool("topics.create")) {
                TopicCreator.createMissing(config.string("bootstrap.servers"), adminOverrides(props),
                        config.topics(), config.integer("topics.partitions"), (short) config.integer("topics.replication"));
            }
            Topology topology = LabelingTopology.build(services);
            KafkaStreams streams = new KafkaStreams(topology, props);
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("stream thread failed, replacing it (uncommitted work is redone)", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streams.setStateListener((now, before) -> LOG.info("streams {} -> {}", before, now));
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fgclip2-progress");
                t.setDaemon(true);
                return t;
            });
            LabelingApp running = new LabelingApp(config, model, services, streams, registry, streamsMetrics, progress);
            running.http = OpsServer.start(config, running);
            streams.start();
            Duration every = config.duration("log.progress-interval");
            progress.scheduleAtFixedRate(new ProgressLog(running), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            return running;
        } catch (IOException | InterruptedException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Properties adminOverrides(Properties streamsProps) {
        Properties p = new Properties();
        streamsProps.forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                p.put(key, v);
            }
        });
        return p;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public FgClip2Inference model() {
        return model;
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

    /** Ready when the model is loaded (it is, once constructed) and the streams run. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
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
        if (http != null) {
            http.close();
        }
        services.close();
        model.close();
        stopped.countDown();
    }
}
