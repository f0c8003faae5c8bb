package org.fgclip2.topology;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.concurrent.DaemonThreads;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.heatmap.HeatmapRenderer;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.heatmap.HeatmapStyle;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.serialization.ConfluentAvroSerdes;

/**
 * Everything the labelling processors share within one application instance — the model (one per device), the
 * record codecs over one registry client, the fetcher and its pool, the heatmap store, metrics, the failure ledger
 * — and the one place that wires them: {@link LabelingTopology#build} asks it for processors, each given only what
 * it uses.
 */
public final class LabelingServices implements AutoCloseable {

    private final FgClip2Inference inference;
    private final LabelingSettings settings;
    private final LabelingMetrics metrics;
    private final CaptionEmbedder embedder;
    private final ImagePreparer preparer;
    private final HeatmapPublisher heatmaps;
    private final AtomicLong captionGeneration = new AtomicLong();
    private final RecordCodecs codecs;
    private final DeadLetters deadLetters;
    private final OutputLimits limits;
    private final FailureLedger ledger = new FailureLedger();
    private final PipelineHealth health = new PipelineHealth();
    private final ExecutorService fetchPool;
    /** Renders and writes a batch's heatmaps; null when heatmaps are off. */
    private final ExecutorService heatmapPool;

    public LabelingServices(FgClip2Inference inference, ConfluentAvroSerdes avro, ImageFetcher fetcher,
                            ImageDecoder decoder, HeatmapStore heatmapStore, LabelingSettings settings,
                            LabelingMetrics metrics, OutputLimits limits) {
        this.inference = inference;
        this.limits = limits;
        this.settings = settings;
        this.metrics = metrics;
        this.embedder = new CaptionEmbedder(inference);
        this.fetchPool = settings.fetchThreads() == 0 ? null : Executors.newFixedThreadPool(settings.fetchThreads(),
                DaemonThreads.numbered("fgclip2-fetch-"));
        boolean anyHeatmaps = settings.maxHeatmapsPerImage() > 0;
        this.heatmapPool = anyHeatmaps ? Executors.newFixedThreadPool(settings.heatmapWriteThreads(),
                DaemonThreads.numbered("fgclip2-heatmaps-")) : null;
        this.preparer = new ImagePreparer(fetcher, decoder, inference.imageProcessor(),
                anyHeatmaps ? settings.previewMaxSide() : 0, fetchPool);
        this.heatmaps = new HeatmapPublisher(heatmapStore,
                new HeatmapRenderer(HeatmapStyle.of(settings.previewMaxSide(), settings.heatmapScale())),
                inference.info().id());
        this.codecs = new RecordCodecs(avro, settings.topics());
        this.deadLetters = new DeadLetters(avro.specific(DeadLetter.class, false).serializer(),
                settings.topics().deadLetters(), settings.deadLetterCopyBytes(), limits, metrics);
        metrics.fetches(fetcher);
        metrics.modelArrays(inference);
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
    public Function<byte[], CaptionEmbeddings> captionEmbeddingsReader() {
        return bytes -> {
            try {
                return codecs.readCaptionEmbeddings(bytes);
            } catch (RuntimeException e) {
                return null;
            }
        };
    }

    /** Reads a value of the recent-labels store (for queries). */
    public Function<byte[], ImageLabels> imageLabelsReader() {
        return codecs::readImageLabels;
    }

    RecordIntake intake(ThreadBatchers batchers) {
        return new RecordIntake(batchers, settings.batch().tick(), codecs, limits, ledger, deadLetters);
    }

    ImageLabelingProcessor imageLabeler(RecordIntake intake) {
        RelabelSettings relabel = settings.relabel();
        return new ImageLabelingProcessor(intake, settings.batch().maxPatchesPerImage(), settings.recentResults() > 0,
                !relabel.enabled() ? null : (store, changelog) -> new Relabeler(relabel,
                        new RetainedImages(store, relabel, limits, changelog, inference.info().id()),
                        inference.scoring(), codecs, limits,
                        metrics, inference.info().id()));
    }

    LabelEmbeddingProcessor labelEmbedder(RecordIntake intake) {
        return new LabelEmbeddingProcessor(intake, settings.labelLimits(), embedder.modelId());
    }

    GlobalStoreUpdater captionStoreUpdater() {
        return new GlobalStoreUpdater(LabelingTopology.CAPTION_STORE, captionGeneration::incrementAndGet);
    }

    GlobalStoreUpdater embeddingCacheUpdater() {
        return new GlobalStoreUpdater(LabelingTopology.EMBEDDING_CACHE_STORE, () -> { });
    }

    /** The model work of one stream thread, with label sets of its own. */
    ThreadBatcher newBatcher() {
        LabelSets labelSets = new LabelSets(codecs, embedder, settings.defaultThreshold(), settings.actionOrder(),
                captionGeneration);
        EmbeddingCache cache = settings.embeddingCache().enabled() ? new EmbeddingCache(settings.embeddingCache(),
                codecs, limits, metrics, inference.info().id()) : null;
        BatchResults results = new BatchResults(labelSets, inference.scoring(),
                new HeatmapSelection(settings.maxHeatmapsPerImage(), settings.heatmapsForPositive()), heatmaps,
                inference.info().id(), codecs, limits, deadLetters, metrics, cache,
                settings.relabel().enabled(), new RegionLabeler(settings.regions()), heatmapPool);
        LabelQueue labels = new LabelQueue(embedder, codecs, limits, deadLetters, ledger, metrics);
        return new ThreadBatcher(settings.batch(), preparer, inference, labelSets, results, labels, cache, ledger,
                health, metrics);
    }

    @Override
    public void close() {
        if (fetchPool != null) {
            fetchPool.shutdownNow();
        }
        if (heatmapPool != null) {
            heatmapPool.shutdownNow();
        }
    }
}
