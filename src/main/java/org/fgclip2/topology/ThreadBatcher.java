package org.fgclip2.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.Stage;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.ImageBatchEncoding;
import org.fgclip2.preprocess.PatchedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream thread's batcher: images accepted by every task (partition) the thread owns wait here together, so
 * batches fill across partitions. Images are grouped by patch bucket; a group runs when it reaches the size the
 * {@link BatchSizer} allows, or when its oldest image has waited {@code maxWait}. Results go back to the owning
 * task, which forwards them in its own context (a task may only produce while it is being processed).
 *
 * <p>Batches run only from the wall-clock punctuation of one task of the thread, its first registered owner. Kafka
 * Streams punctuates a task at most once per processing round and commits at the end of a round, so the model time
 * between two commits — one transaction under exactly-once — is one {@link #runDue} call, which the time budget
 * bounds. (Letting every task run batches from each processed record would put many budgets in one transaction,
 * and the coordinator aborts a transaction open longer than {@code transaction.timeout.ms}.)
 *
 * <p>Confined to its stream thread: no locking.
 */
final class ThreadBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadBatcher.class);

    private final LabelingServices services;
    private final BatchSizer sizer;
    private final LabelSets labelSets;
    private final List<WaitingImage> waiting = new ArrayList<>();
    private final List<ImageLabelingProcessor> owners = new ArrayList<>();

    ThreadBatcher(LabelingServices services) {
        this.services = services;
        this.sizer = new BatchSizer(services.settings.batch());
        this.labelSets = new LabelSets(services.captionEmbeddingsIn, services.settings.topics().captionEmbeddings(),
                services.embedder, services.settings.defaultThreshold(), services.captionGeneration);
    }

    void register(ImageLabelingProcessor owner) {
        owners.add(owner);
    }

    /** Whether this task's punctuation runs the thread's batches. */
    boolean runsBatches(ImageLabelingProcessor owner) {
        return !owners.isEmpty() && owners.get(0) == owner;
    }

    /** Forgets a closing task's images; its pending store keeps them for whoever owns the partition next. */
    boolean unregister(ImageLabelingProcessor owner) {
        waiting.removeIf(w -> {
            if (w.owner() == owner) {
                w.prepared().cancel(true);
                return true;
            }
            return false;
        });
        owners.remove(owner);
        return owners.isEmpty();
    }

    void submit(WaitingImage image) {
        waiting.add(image);
    }

    int waitingCount() {
        return waiting.size();
    }

    /**
     * Runs the batches that are due while their predicted model time fits the time budget; the first always runs
     * (the {@link BatchSizer} keeps a single batch within the budget once its bucket is measured).
     */
    void runDue(long nowMillis, ReadOnlyKeyValueStore<String, byte[]> captions) {
        long started = System.nanoTime();
        long budget = services.settings.batch().timeBudget().toNanos();
        boolean first = true;
        while (true) {
            failPrepared(nowMillis);
            List<WaitingImage> batch = nextDueBatch(nowMillis);
            if (batch == null) {
                return;
            }
            int bucket = batch.get(0).prepared().join().bucket();
            if (!first && System.nanoTime() - started + sizer.predictedNanos(bucket, batch.size()) > budget) {
                return;
            }
            first = false;
            waiting.removeAll(batch);
            run(batch, captions, nowMillis);
        }
    }

    private void failPrepared(long nowMillis) {
        for (Iterator<WaitingImage> it = waiting.iterator(); it.hasNext(); ) {
            WaitingImage w = it.next();
            if (w.failed()) {
                it.remove();
                StageFailure failure = stageFailure(w);
                w.owner().complete(deadLetter(w, failure.stage(), failure.getMessage(), nowMillis));
            }
        }
    }

    private static StageFailure stageFailure(WaitingImage w) {
        try {
            w.prepared().join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            return cause instanceof StageFailure f ? f
                    : new StageFailure(Stage.PREPROCESS, DeadLetters.reason(cause), cause);
        } catch (java.util.concurrent.CancellationException e) {
            return new StageFailure(Stage.FETCH, "preparation cancelled", e);
        }
    }

    private List<WaitingImage> nextDueBatch(long nowMillis) {
        Map<Integer, List<WaitingImage>> groups = new LinkedHashMap<>();
        for (WaitingImage w : waiting) {
            if (w.ready()) {
                groups.computeIfAbsent(w.prepared().join().bucket(), b -> new ArrayList<>()).add(w);
            }
        }
        long maxWait = services.settings.batch().maxWait().toMillis();
        for (Map.Entry<Integer, List<WaitingImage>> group : groups.entrySet()) {
            List<WaitingImage> images = group.getValue();
            int limit = sizer.limit(group.getKey());
            boolean full = images.size() >= limit;
            boolean waitedEnough = images.get(0).pending().acceptedAtMillis() + maxWait <= nowMillis;
            if (full || waitedEnough) {
                return new ArrayList<>(images.subList(0, Math.min(limit, images.size())));
            }
        }
        return null;
    }

    private void run(List<WaitingImage> batch, ReadOnlyKeyValueStore<String, byte[]> captions, long nowMillis) {
        List<PatchedImage> patched = new ArrayList<>(batch.size());
        long realPatches = 0;
        for (WaitingImage w : batch) {
            PatchedImage p = w.prepared().join().patched();
            patched.add(p);
            realPatches += p.patchCount();
            services.metrics.queued(Duration.ofMillis(Math.max(0, nowMillis - w.pending().acceptedAtMillis())));
        }
        int bucket = batch.get(0).prepared().join().bucket();
        long t0 = System.nanoTime();
        ImageBatchEncoding encoding;
        try {
            encoding = services.model.encodeImages(patched);
        } catch (RuntimeException e) {
            LOG.warn("model forward failed for a batch of {} images: {}", batch.size(), e.toString());
            for (WaitingImage w : batch) {
                w.owner().complete(deadLetter(w, Stage.INFERENCE, DeadLetters.reason(e), nowMillis));
            }
            return;
        }
        try (encoding) {
            Duration modelTime = Duration.ofNanos(System.nanoTime() - t0);
            sizer.measured(bucket, batch.size(), modelTime);
            services.metrics.batch(batch.size(), (int) encoding.paddedLength(), bucket, realPatches, modelTime);
            LOG.debug("batch images={} bucket={} padded={} fill={} modelMs={}", batch.size(), bucket,
                    encoding.paddedLength(), String.format("%.3f", (double) realPatches / (batch.size() * encoding.paddedLength())),
                    modelTime.toMillis());
            complete(batch, encoding, captions, nowMillis);
        }
    }

    private void complete(List<WaitingImage> batch, ImageBatchEncoding encoding,
                          ReadOnlyKeyValueStore<String, byte[]> captions, long nowMillis) {
        List<List<LabelMatrix.Score>> scores = new ArrayList<>(batch.size());
        List<List<LabelMatrix.Score>> heatmapLabels = new ArrayList<>(batch.size());
        List<Integer> needDense = new ArrayList<>();
        List<LabelMatrix> matrices = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            WaitingImage w = batch.get(i);
            LabelMatrix matrix = labelSets.get(w.event().getLabelSet(), captions);
            matrices.add(matrix);
            services.metrics.labelSetVersion(matrix.labelSet(), matrix.version());
            List<LabelMatrix.Score> s = matrix.score(encoding.embeddings()[i], services.model.scoring());
            scores.add(s);
            List<LabelMatrix.Score> heat = heatmapLabels(w, s);
            heatmapLabels.add(heat);
            if (!heat.isEmpty()) {
                needDense.add(i);
            }
        }
        List<DenseMap> dense;
        String denseFailure = null;
        try {
            dense = encoding.denseMaps(needDense.stream().mapToInt(Integer::intValue).toArray());
        } catch (RuntimeException e) {
            LOG.warn("dense head failed for {} images; publishing their labels without heatmaps: {}", needDense.size(),
                    e.toString());
            dense = List.of();
            denseFailure = DeadLetters.reason(e);
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        for (int i = 0; i < batch.size(); i++) {
            WaitingImage w = batch.get(i);
            int denseIndex = needDense.indexOf(i);
            DenseMap map = denseIndex < 0 || denseFailure != null ? null : dense.get(denseIndex);
            w.owner().complete(outputs(w, matrices.get(i), scores.get(i), heatmapLabels.get(i), map, denseFailure, now));
        }
    }

    private List<LabelMatrix.Score> heatmapLabels(WaitingImage w, List<LabelMatrix.Score> scores) {
        int max = services.settings.maxHeatmapsPerImage();
        List<LabelMatrix.Score> out = new ArrayList<>();
        for (LabelMatrix.Score s : scores) {
            if (out.size() == max) {
                break;
            }
            if (w.event().getHeatmaps() || (services.settings.heatmapsForPositive() && s.positive())) {
                out.add(s);
            }
        }
        return out;
    }

    private Completion outputs(WaitingImage w, LabelMatrix matrix, List<LabelMatrix.Score> scores,
                               List<LabelMatrix.Score> heatmapLabels, DenseMap dense, String denseFailure, Instant now) {
        var topics = services.settings.topics();
        List<Output> outputs = new ArrayList<>();
        PreparedImage prepared = w.prepared().join();
        String imageId = w.event().getId();
        ImageLabels labels;
        byte[] labelBytes;
        try {
            labels = imageLabels(w, matrix, scores, prepared, now);
            labelBytes = services.imageLabels.serialize(topics.imageLabels(), labels);
        } catch (RuntimeException e) {
            return deadLetter(w, Stage.PUBLISH, "cannot serialise ImageLabels: " + DeadLetters.reason(e), now.toEpochMilli());
        }
        outputs.add(new Output(ImageLabelingProcessor.LABELS_SINK, imageId, labelBytes));
        if (denseFailure != null && !heatmapLabels.isEmpty()) {
            outputs.add(deadLetterOutput(w, Stage.INFERENCE, "labels published, heatmaps not: dense head failed: "
                    + denseFailure, now.toEpochMilli()));
            heatmapLabels = List.of();
        }
        for (LabelMatrix.Score s : heatmapLabels) {
            try {
                var heatmap = services.heatmaps.publish(w.event(), matrix.labelSet(), s, dense, prepared.preview());
                outputs.add(new Output(ImageLabelingProcessor.HEATMAPS_SINK, imageId,
                        services.regionHeatmaps.serialize(topics.regionHeatmaps(), heatmap)));
                services.metrics.heatmap();
            } catch (RuntimeException e) {
                outputs.add(deadLetterOutput(w, Stage.PUBLISH, "heatmap for label '" + s.label().labelId()
                        + "' not published: " + DeadLetters.reason(e), now.toEpochMilli()));
            }
        }
        services.metrics.labelled(Duration.ofMillis(now.toEpochMilli() - w.pending().timestamp()));
        return new Completion(w.pending(), outputs);
    }

    private ImageLabels imageLabels(WaitingImage w, LabelMatrix matrix, List<LabelMatrix.Score> scores,
                                           PreparedImage prepared, Instant now) {
        List<LabelScore> list = new ArrayList<>(scores.size());
        for (LabelMatrix.Score s : scores) {
            list.add(new LabelScore(s.label().labelId(), s.score(), s.positive(), s.prompt()));
        }
        return ImageLabels.newBuilder()
                .setImageId(w.event().getId())
                .setUri(w.event().getUri())
                .setLabelSet(matrix.labelSet())
                .setModelId(services.model.info().id())
                .setLabelSetVersion(matrix.version())
                .setLabels(list)
                .setSpatialShape(List.of(prepared.patched().grid().height(), prepared.patched().grid().width()))
                .setAttributes(w.event().getAttributes())
                .setEventTimestamp(Instant.ofEpochMilli(w.pending().timestamp()))
                .setLabelledAt(now)
                .build();
    }

    private Completion deadLetter(WaitingImage w, Stage stage, String reason, long nowMillis) {
        return new Completion(w.pending(), List.of(deadLetterOutput(w, stage, reason, nowMillis)));
    }

    private Output deadLetterOutput(WaitingImage w, Stage stage, String reason, long nowMillis) {
        services.metrics.deadLetter(stage);
        var letter = DeadLetters.of(w.pending().source(), stage, reason, w.event().getId(), w.event().getUri(),
                Instant.ofEpochMilli(nowMillis));
        return new Output(ImageLabelingProcessor.DEAD_LETTERS_SINK, w.event().getId(),
                services.deadLetters.serialize(services.settings.topics().deadLetters(), letter));
    }
}
