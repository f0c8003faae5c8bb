package org.fgclip2.topology;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.fetch.DaemonThreads;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.heatmap.HeatmapRenderer;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.heatmap.HeatmapStyle;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.serialization.ConfluentAvroSerdes;

/**
 * Everything the labelling processors share within one application instance: the model (one per device), serdes
 * over one registry client, the fetcher, the heatmap store, the fetch pool, metrics. Built once, handed to
 * {@link LabelingTopology#build}.
 */
public final class LabelingServices implements AutoCloseable {

    final FgClip2Inference model;
    final LabelingSettings settings;
    final LabelingMetrics metrics;
    final CaptionEmbedder embedder;
    final ImagePreparer preparer;
    final HeatmapPublisher heatmaps;
    final AtomicLong captionGeneration = new AtomicLong();
    final Deserializer<ImageEvent> imageEvents;
    final Deserializer<LabelDefinition> labelDefinitions;
    final Serializer<CaptionEmbeddings> captionEmbeddingsOut;
    final Deserializer<CaptionEmbeddings> captionEmbeddingsIn;
    final Serializer<ImageLabels> imageLabels;
    private final Deserializer<ImageLabels> imageLabelsIn;
    final Serializer<RegionHeatmap> regionHeatmaps;
    final DeadLetters deadLetters;
    final OutputLimits limits;
    final FailureLedger ledger = new FailureLedger();
    final PipelineHealth health = new PipelineHealth();
    private final ExecutorService fetchPool;

    public LabelingServices(FgClip2Inference model, ConfluentAvroSerdes avro, ImageFetcher fetcher,
                            ImageDecoder decoder, HeatmapStore heatmapStore, LabelingSettings settings,
                            LabelingMetrics metrics, OutputLimits limits) {
        this.model = model;
        this.limits = limits;
        this.settings = settings;
        this.metrics = metrics;
        this.embedder = new CaptionEmbedder(model);
        boolean anyHeatmaps = settings.maxHeatmapsPerImage() > 0;
        this.preparer = new ImagePreparer(fetcher, decoder, model.imageProcessor(),
                anyHeatmaps ? settings.previewMaxSide() : 0);
        this.heatmaps = new HeatmapPublisher(heatmapStore,
                new HeatmapRenderer(HeatmapStyle.DEFAULTS.withMaxPreviewSide(settings.previewMaxSide())),
                model.info().id());
        this.imageEvents = avro.specific(ImageEvent.class, false).deserializer();
        this.labelDefinitions = avro.specific(LabelDefinition.class, false).deserializer();
        var captions = avro.specific(CaptionEmbeddings.class, false);
        this.captionEmbeddingsOut = captions.serializer();
        this.captionEmbeddingsIn = captions.deserializer();
        var labels = avro.specific(ImageLabels.class, false);
        this.imageLabels = labels.serializer();
        this.imageLabelsIn = labels.deserializer();
        this.regionHeatmaps = avro.specific(RegionHeatmap.class, false).serializer();
        this.deadLetters = new DeadLetters(avro.specific(DeadLetter.class, false).serializer(),
                settings.topics().deadLetters(), settings.deadLetterCopyBytes(), limits, metrics);
        this.fetchPool = settings.fetchThreads() == 0 ? null : Executors.newFixedThreadPool(settings.fetchThreads(),
                DaemonThreads.named("fgclip2-fetch-"));
        metrics.fetches(fetcher);
    }

    public FgClip2Inference model() {
        return model;
    }

    public LabelingMetrics metrics() {
        return metrics;
    }

    public LabelingSettings settings() {
        return settings;
    }

    /** The records that failed a stream thread (for the handler of failed publishes, and for tests). */
    public FailureLedger ledger() {
        return ledger;
    }

    public PipelineHealth health() {
        return health;
    }

    /** Reads a value of the caption store (for queries); null when it cannot be read. */
    public java.util.function.Function<byte[], CaptionEmbeddings> captionEmbeddingsReader() {
        return bytes -> {
            try {
                return captionEmbeddingsIn.deserialize(settings.topics().captionEmbeddings(), bytes);
            } catch (RuntimeException e) {
                return null;
            }
        };
    }

    /** Reads a value of the recent-labels store (for queries). */
    public java.util.function.Function<byte[], ImageLabels> imageLabelsReader() {
        return bytes -> imageLabelsIn.deserialize(settings.topics().imageLabels(), bytes);
    }

    /**
     * Fetch, decode and patch an image: HTTP(S) downloads hold no thread, the CPU steps (and {@code file:} reads)
     * run on the fetch pool. With a pool size of 0 everything runs on the calling stream thread, which waits for
     * downloads too: for tests, where the result is then ready when this returns.
     */
    CompletableFuture<PreparedImage> prepare(ImageEvent event) {
        if (fetchPool == null) {
            CompletableFuture<PreparedImage> done = new CompletableFuture<>();
            try {
                done.complete(preparer.prepareNow(event));
            } catch (StageFailure | RuntimeException e) {
                done.completeExceptionally(e);
            }
            return done;
        }
        return preparer.prepare(event, fetchPool);
    }

    @Override
    public void close() {
        if (fetchPool != null) {
            fetchPool.shutdownNow();
        }
    }
}
