package org.fgclip2.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.fgclip2.avro.Stage;
import org.fgclip2.fetch.FetchException;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.inference.FgClip2Inference;

/** What the labelling pipeline reports: batch shape, waits, model latency, throughput, dead letters, fetches. */
public final class LabelingMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final DistributionSummary patchFill;
    private final Timer queueWait;
    private final Timer eventToLabel;
    private final Counter imagesLabelled;
    private final Counter modelImages;
    private final Counter heatmapsPublished;
    private final Counter labelsEmbedded;
    private final Map<Stage, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<FetchException.Category, Counter> fetchFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> cacheMisses = new ConcurrentHashMap<>();
    private final Counter cacheHits;
    private final Counter relabelRescored;
    private final Counter relabelPublished;
    private final Map<Integer, Timer> modelLatency = new ConcurrentHashMap<>();
    private final Map<String, String> labelSetVersions = new ConcurrentHashMap<>();
    private final MultiGauge labelSetInfo;

    /**
     * Histogram buckets, so that a fleet's p99 is computed from all instances' buckets (quantiles published by each
     * instance cannot be averaged). A dozen fixed bounds each keep the series few.
     */
    private static final Duration[] EVENT_TO_LABEL_BUCKETS = durations(50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000, 60_000, 300_000);
    private static final Duration[] MODEL_LATENCY_BUCKETS = durations(10, 25, 50, 100, 250, 500, 1_000, 2_500,
            5_000, 10_000, 30_000);

    private static Duration[] durations(long... millis) {
        return Arrays.stream(millis).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }

    public LabelingMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchSize = DistributionSummary.builder("fgclip2.batch.size").description("images per model forward")
                .register(registry);
        patchFill = DistributionSummary.builder("fgclip2.batch.patch.fill")
                .description("share of padded patch slots holding real patches").register(registry);
        queueWait = Timer.builder("fgclip2.queue.wait").description("accepted until its batch ran")
                .publishPercentiles(0.5, 0.99).register(registry);
        eventToLabel = Timer.builder("fgclip2.event.to.label").description("event timestamp until labels produced")
                .publishPercentiles(0.5, 0.99).serviceLevelObjectives(EVENT_TO_LABEL_BUCKETS).register(registry);
        imagesLabelled = Counter.builder("fgclip2.images.labelled").register(registry);
        cacheHits = Counter.builder("fgclip2.embedding.cache.hits")
                .description("repeats scored from a cached embedding, without a forward").register(registry);
        modelImages = Counter.builder("fgclip2.model.images")
                .description("images that went through the vision tower (batches that failed not counted)")
                .register(registry);
        heatmapsPublished = Counter.builder("fgclip2.heatmaps.published").register(registry);
        labelsEmbedded = Counter.builder("fgclip2.labels.embedded").description("label definitions embedded")
                .register(registry);
        relabelRescored = Counter.builder("fgclip2.relabel.rescored")
                .description("retained images scored again after their label set changed (no model runs)")
                .register(registry);
        relabelPublished = Counter.builder("fgclip2.relabel.published")
                .description("re-scored images published again (trigger LABELS_CHANGED, see relabel.emit)")
                .register(registry);
        labelSetInfo = MultiGauge.builder("fgclip2.label.set.info")
                .description("1 per label set, tagged with the version last scored with").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void batch(int images, int paddedLength, int bucket, long realPatches, Duration modelTime) {
        modelImages.increment(images);
        batchSize.record(images);
        patchFill.record((double) realPatches / ((long) images * paddedLength));
        modelLatency.computeIfAbsent(bucket, b -> Timer.builder("fgclip2.model.latency")
                .description("vision forward per batch, by patch bucket").tags("bucket", String.valueOf(b))
                .serviceLevelObjectives(MODEL_LATENCY_BUCKETS).register(registry)).record(modelTime);
    }

    /**
     * Gauges of the fetcher's HTTP(S) fetches: running, and waiting for their turn. A queue that stays long points
     * to a slow host (the dead letters of stage fetch name it) or to limits too low for the load.
     */
    void fetches(ImageFetcher fetcher) {
        Gauge.builder("fgclip2.fetch.in.flight", fetcher, ImageFetcher::httpInFlight)
                .description("HTTP(S) image fetches running (fetch.max-in-flight, fetch.max-per-host)")
                .register(registry);
        Gauge.builder("fgclip2.fetch.queued", fetcher, ImageFetcher::httpQueued)
                .description("HTTP(S) image fetches waiting for their turn (fetch.queue-timeout)").register(registry);
    }

    /**
     * A gauge of the native arrays the model holds between batches: flat while every batch frees what it made, so
     * a climb is a native memory leak, long before the process runs out.
     */
    void modelArrays(FgClip2Inference inference) {
        Gauge.builder("fgclip2.model.native.arrays", inference, FgClip2Inference::liveModelArrays)
                .description("native arrays alive on the model's manager (constant unless a batch leaks)")
                .register(registry);
    }

    void queued(Duration wait) {
        queueWait.record(wait);
    }

    void labelled(Duration sinceEvent) {
        imagesLabelled.increment();
        eventToLabel.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    void heatmap() {
        heatmapsPublished.increment();
    }

    void labelEmbedded() {
        labelsEmbedded.increment();
    }

    /** Why fetches fail, by kind: the dead letters of stage fetch say it for each image, this for a dashboard. */
    void fetchFailed(FetchException.Category category) {
        fetchFailures.computeIfAbsent(category, c -> Counter.builder("fgclip2.fetch.failures")
                .description("image fetches that failed, by category (timeout, not_found, forbidden, ...)")
                .tags("category", c.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    /** @param reason absent, expired, unreadable, heatmaps (which need a forward), or error */
    void cacheMiss(String reason) {
        cacheMisses.computeIfAbsent(reason, r -> Counter.builder("fgclip2.embedding.cache.misses")
                .description("images the embedding cache could not serve, by reason").tags("reason", r)
                .register(registry)).increment();
    }

    void relabelRescored() {
        relabelRescored.increment();
    }

    void relabelPublished() {
        relabelPublished.increment();
    }

    void deadLetter(Stage stage) {
        deadLetters.computeIfAbsent(stage, s -> Counter.builder("fgclip2.dead.letters")
                .tags("stage", s.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    /** Gauges of the images the stream threads hold: started and not batched yet, and waiting for their turn. */
    void backlog(ToDoubleFunction<ThreadBatcher> measure, String name, String description,
                 ThreadBatchers batchers) {
        Gauge.builder(name, batchers, b -> b.sum(measure)).description(description).register(registry);
    }

    void labelSetVersion(String labelSet, String version) {
        if (!version.equals(labelSetVersions.put(labelSet, version))) {
            List<MultiGauge.Row<?>> rows = labelSetVersions.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("label_set", e.getKey(), "version", e.getValue()), 1))
                    .collect(Collectors.toList());
            labelSetInfo.register(rows, true);
        }
    }

    /** Count of images labelled so far (for progress logs). */
    public double imagesLabelledTotal() {
        return imagesLabelled.count();
    }
}
