package org.fgclip2.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageEmbedding;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.avro.Stage;
import org.fgclip2.image.RgbImage;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.ImageBatchEncoding;
import org.fgclip2.inference.Scoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a forward's image embeddings into each image's outputs: its labels scored against its label set, the
 * heatmaps of the labels that get one, or the dead letter that says why not.
 */
final class BatchResults {
    private static final Logger LOG = LoggerFactory.getLogger(BatchResults.class);

    /**
     * One image of the batch as scored: what it is about to publish.
     *
     * @param row the image's row in the batch's encoding
     */
    private record Scored(WaitingImage image, int row, float[] embedding, LabelMatrix matrix,
                          LabelMatrix.Scores byLabel, List<LabelMatrix.Score> scores,
                          List<LabelMatrix.Score> heatmapLabels) {
    }

    /** The dense maps of the images that get heatmaps or region labels, by row; or why there are none. */
    private record DenseMaps(Map<Integer, DenseMap> byRow, String failure) {
    }

    private final LabelSets labelSets;
    private final Scoring scoring;
    private final HeatmapSelection heatmapSelection;
    private final HeatmapPublisher heatmaps;
    private final String modelId;
    private final RecordCodecs codecs;
    private final OutputLimits limits;
    private final DeadLetters deadLetters;
    private final LabelingMetrics metrics;
    private final EmbeddingCache cache;
    private final boolean retains;
    private final RegionLabeler regions;
    private final Executor heatmapPool;

    /**
     * @param modelId the model that made the embeddings, as the records name it
     * @param cache where the embeddings of images the model ran on are remembered; null without a cache
     * @param retains whether labelled images are kept for re-labelling
     * @param regions labels the boxes events name
     * @param heatmapPool renders and writes a batch's heatmaps at once; null to do it on the calling thread
     */
    BatchResults(LabelSets labelSets, Scoring scoring, HeatmapSelection heatmapSelection, HeatmapPublisher heatmaps,
                 String modelId, RecordCodecs codecs, OutputLimits limits, DeadLetters deadLetters,
                 LabelingMetrics metrics, EmbeddingCache cache, boolean retains, RegionLabeler regions,
                 Executor heatmapPool) {
        this.labelSets = labelSets;
        this.scoring = scoring;
        this.heatmapSelection = heatmapSelection;
        this.heatmaps = heatmaps;
        this.modelId = modelId;
        this.codecs = codecs;
        this.limits = limits;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.cache = cache;
        this.retains = retains;
        this.regions = regions;
        this.heatmapPool = heatmapPool != null ? heatmapPool : Runnable::run;
    }

    /** Hands every image of the batch its completion. */
    void complete(List<WaitingImage> batch, ImageBatchEncoding encoding,
                  ReadOnlyKeyValueStore<String, byte[]> captions, Instant now) {
        List<Scored> scored = new ArrayList<>(batch.size());
        for (int row = 0; row < batch.size(); row++) {
            scored.add(score(batch.get(row), row, encoding.embeddings()[row], captions));
        }
        DenseMaps dense = denseMaps(scored, encoding, regions);
        Map<Integer, List<CompletableFuture<RegionHeatmap>>> heatmapWrites = writeHeatmaps(scored, dense);
        for (Scored s : scored) {
            try (var log = ThreadBatcher.logContext(s.image())) {
                completeImage(s, dense, heatmapWrites.getOrDefault(s.row(), List.of()), encoding, now);
            }
        }
    }

    /**
     * Starts rendering and writing every heatmap of the batch at once, on the heatmap pool: the writes (S3 PUTs)
     * happen inside the batch's transaction, and one after the other a slow store would hold it for their sum.
     * Only the rendering and the store run there; records are built and checked on the stream thread.
     *
     * @return per row, the heatmaps of the image's {@link Scored#heatmapLabels()} in their order
     */
    private Map<Integer, List<CompletableFuture<RegionHeatmap>>> writeHeatmaps(List<Scored> scored,
                                                                               DenseMaps dense) {
        Map<Integer, List<CompletableFuture<RegionHeatmap>>> writes = new HashMap<>();
        for (Scored s : scored) {
            DenseMap map = dense.byRow().get(s.row());
            if (s.heatmapLabels().isEmpty() || map == null) {
                continue;
            }
            RgbImage preview = s.image().prepared().join().preview();
            List<CompletableFuture<RegionHeatmap>> images = new ArrayList<>();
            for (LabelMatrix.Score score : s.heatmapLabels()) {
                images.add(CompletableFuture.supplyAsync(() -> heatmaps.publish(s.image().event(),
                        s.matrix().labelSet(), score, map, preview), heatmapPool));
            }
            writes.put(s.row(), images);
        }
        return writes;
    }

    private void completeImage(Scored s, DenseMaps dense, List<CompletableFuture<RegionHeatmap>> heatmapWrites,
                               ImageBatchEncoding encoding, Instant now) {
        Completion completion = s.matrix().labels().isEmpty() ? noLabels(s.image(), now)
                : outputs(s, dense.byRow().get(s.row()), dense.failure(), heatmapWrites, now);
        if (publishesEmbeddings() || cache != null) {
            ImageEmbedding embedding = imageEmbedding(s.image(), encoding.embeddings()[s.row()]);
            if (publishesEmbeddings()) {
                completion = withEmbedding(completion, s.image(), embedding, now);
            }
            if (cache != null) {
                completion = cache.remember(completion, s.image(), embedding);
            }
        }
        s.image().owner().complete(completion);
    }

    /** Whether the event names boxes to label: they need dense features, so a cached embedding cannot serve it. */
    boolean wantsRegions(ImageEvent event) {
        return regions.wantsDenseFeatures(event);
    }

    /**
     * The completion of a repeat from its cached embedding, with the scores a fresh run gives; null when the image
     * needs heatmaps, which only a forward can draw. (An event with boxes never gets here: it is not even looked up,
     * see {@link #wantsRegions}.)
     */
    Completion fromCache(WaitingImage w, ReadOnlyKeyValueStore<String, byte[]> captions, Instant now) {
        float[] embedding = w.prepared().join().cached().embedding();
        Scored s = score(w, -1, embedding, captions);
        if (!s.heatmapLabels().isEmpty()) {
            return null;
        }
        Completion completion = s.matrix().labels().isEmpty() ? noLabels(w, now)
                : outputs(s, null, null, List.of(), now);
        return publishesEmbeddings() ? withEmbedding(completion, w, imageEmbedding(w, embedding), now) : completion;
    }

    private boolean publishesEmbeddings() {
        return codecs.topics().imageEmbeddings() != null;
    }

    /**
     * Adds the image's embedding record, for when embeddings are published: every image the model ran on has one,
     * whether its labels could be published or not.
     */
    private Completion withEmbedding(Completion completion, WaitingImage w, ImageEmbedding embedding, Instant now) {
        String topic = codecs.topics().imageEmbeddings();
        List<Output> outputs = new ArrayList<>(completion.outputs());
        try {
            byte[] bytes = codecs.write(embedding);
            String tooLarge = limits.problem(topic, w.event().getId(), bytes, "the ImageEmbedding record");
            outputs.add(tooLarge == null ? new Output(ImageLabelingProcessor.EMBEDDINGS_SINK, w.event().getId(), bytes)
                    : deadLetterOutput(w, Stage.PUBLISH, "embedding not published: " + tooLarge, now));
        } catch (RuntimeException e) {
            outputs.add(deadLetterOutput(w, Stage.PUBLISH, "embedding not published: " + DeadLetters.reason(e), now));
        }
        return completion.withOutputs(outputs);
    }

    private ImageEmbedding imageEmbedding(WaitingImage w, float[] embedding) {
        PreparedImage prepared = w.prepared().join();
        return ImageEmbedding.newBuilder()
                .setImageId(w.event().getId())
                .setUri(w.event().getUri())
                .setContentSha256(prepared.contentSha256())
                .setModelId(modelId)
                .setSpatialShape(List.of(prepared.gridHeight(), prepared.gridWidth()))
                .setEmbedding(AvroFloats.toList(embedding))
                .setEventTimestamp(Instant.ofEpochMilli(w.pending().timestamp()))
                .build();
    }

    /** @param row the image's row in its batch's encoding; -1 for an embedding from the cache */
    private Scored score(WaitingImage w, int row, float[] embedding, ReadOnlyKeyValueStore<String, byte[]> captions) {
        LabelMatrix matrix = labelSets.get(w.event().getLabelSet(), captions);
        if (matrix.labels().isEmpty()) {
            return new Scored(w, row, embedding, matrix, null, List.of(), List.of());
        }
        metrics.labelSetVersion(matrix.labelSet(), matrix.version());
        LabelMatrix.Scores byLabel = matrix.scoreAll(new float[][] {embedding}, scoring)[0];
        List<LabelMatrix.Score> scores = matrix.ranked(byLabel);
        return new Scored(w, row, embedding, matrix, byLabel, scores, heatmapSelection.labels(w.event(), scores));
    }

    /** One dense-head run for every image of the batch that gets heatmaps or region labels. */
    private static DenseMaps denseMaps(List<Scored> scored, ImageBatchEncoding encoding, RegionLabeler regions) {
        int[] rows = scored.stream()
                .filter(s -> !s.heatmapLabels().isEmpty() || regions.wantsDenseFeatures(s.image().event()))
                .mapToInt(Scored::row).toArray();
        try {
            List<DenseMap> maps = encoding.denseMaps(rows);
            Map<Integer, DenseMap> byRow = new HashMap<>();
            for (int i = 0; i < rows.length; i++) {
                byRow.put(rows[i], maps.get(i));
            }
            return new DenseMaps(byRow, null);
        } catch (RuntimeException e) {
            LOG.warn("dense head failed for {} images; publishing their labels without heatmaps and regions: {}",
                    rows.length, e.toString());
            return new DenseMaps(Map.of(), DeadLetters.reason(e));
        }
    }

    private Completion noLabels(WaitingImage w, Instant now) {
        String set = w.event().getLabelSet();
        return deadLetter(w, Stage.LABELS, "label set '" + set + "' has no labels: load it (labels load) or fix the"
                + " event's labelSet; known sets: " + labelSets.names(), now);
    }

    /** @param heatmapWrites the heatmaps of the image's {@link Scored#heatmapLabels()}, being written */
    private Completion outputs(Scored s, DenseMap dense, String denseFailure,
                               List<CompletableFuture<RegionHeatmap>> heatmapWrites, Instant now) {
        WaitingImage w = s.image();
        List<Output> outputs = new ArrayList<>();
        PreparedImage prepared = w.prepared().join();
        String imageId = w.event().getId();
        RetainedImage retained = retainedImage(w, s, prepared, now);
        byte[] labelBytes;
        try {
            labelBytes = codecs.write(retained.labels(s.matrix(), s.scores(), retained.state().outcome(),
                    regions.label(w.event(), s.matrix(), dense, denseFailure), LabelTrigger.NEW_IMAGE, now));
        } catch (RuntimeException e) {
            return deadLetter(w, Stage.PUBLISH, "cannot serialise ImageLabels: " + DeadLetters.reason(e), now);
        }
        String tooLarge = limits.problem(codecs.topics().imageLabels(), imageId, labelBytes,
                "ImageLabels of label set '" + s.matrix().labelSet() + "' (" + s.scores().size() + " labels)");
        if (tooLarge != null) {
            return deadLetter(w, Stage.PUBLISH, tooLarge + ": use smaller label sets, shorter prompts or fewer"
                    + " attributes, or raise the topic's max.message.bytes", now);
        }
        outputs.add(new Output(ImageLabelingProcessor.LABELS_SINK, imageId, labelBytes));
        List<LabelMatrix.Score> heatmapLabels = s.heatmapLabels();
        if (denseFailure != null && !heatmapLabels.isEmpty()) {
            outputs.add(deadLetterOutput(w, Stage.INFERENCE, "labels published, heatmaps not: dense head failed: "
                    + denseFailure, now));
            heatmapLabels = List.of();
        }
        for (int i = 0; i < heatmapLabels.size(); i++) {
            outputs.add(heatmap(w, heatmapLabels.get(i), heatmapWrites.get(i), now));
        }
        metrics.labelled(Duration.ofMillis(now.toEpochMilli() - w.pending().timestamp()));
        return new Completion(w.pending().storeKey(), w.pending().source(), outputs,
                retains ? new RetainedImages.Addition(retained, s.matrix().setLabels()) : null);
    }

    private Output heatmap(WaitingImage w, LabelMatrix.Score score, CompletableFuture<RegionHeatmap> written,
                           Instant now) {
        String topic = codecs.topics().regionHeatmaps();
        String what = "heatmap for label '" + score.label().labelId() + "'";
        try {
            byte[] bytes = codecs.write(written.join());
            String tooLarge = limits.problem(topic, w.event().getId(), bytes, "the RegionHeatmap record");
            if (tooLarge != null) {
                return deadLetterOutput(w, Stage.PUBLISH, what + " not published: " + tooLarge, now);
            }
            metrics.heatmap();
            return new Output(ImageLabelingProcessor.HEATMAPS_SINK, w.event().getId(), bytes);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Error error) {
                throw error; // as it would have been on the stream thread: not a fault of this image
            }
            return deadLetterOutput(w, Stage.PUBLISH, what + " not published: " + DeadLetters.reason(cause), now);
        }
    }

    private RetainedImage retainedImage(WaitingImage w, Scored s, PreparedImage prepared, Instant now) {
        return new RetainedImage(w.event().getId(), w.event().getUri(), s.matrix().labelSet(), modelId,
                w.event().getAttributes(), prepared.gridHeight(), prepared.gridWidth(),
                w.pending().timestamp(), prepared.contentSha256(), s.embedding(), now.toEpochMilli(),
                RetainedImage.LabelState.of(s.matrix(), s.byLabel()));
    }

    /** The completion of an image that produced nothing but a dead letter. */
    Completion deadLetter(WaitingImage w, Stage stage, String reason, Instant now) {
        return new Completion(w.pending().storeKey(), w.pending().source(),
                List.of(deadLetterOutput(w, stage, reason, now)));
    }

    private Output deadLetterOutput(WaitingImage w, Stage stage, String reason, Instant now) {
        return deadLetters.output(ImageLabelingProcessor.DEAD_LETTERS_SINK, w.pending().source(), stage,
                reason, w.event().getId(), w.event().getId(), w.event().getUri(), now);
    }
}
