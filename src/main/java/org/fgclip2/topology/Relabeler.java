package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.inference.Scoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-labels one task's retained images when their label sets change, from their stored embeddings: no model runs.
 *
 * <p>When the caption store changes and then stays unchanged for {@code relabel.delay}, the task sweeps its images
 * oldest first, a slice per punctuation within the thread's re-labelling budget, and re-scores each image whose
 * label set now has another version than the one it was last scored against. The image's new label state is
 * written back in the same transaction as the {@code ImageLabels} it publishes: a sweep cut short by a crash resumes
 * where the committed states say, and no image is re-labelled twice for one change. A sweep
 * starts again from the front when the labels change during it, and once after each start of the task (which finds
 * a sweep that was cut short, or label changes made while the task was elsewhere).
 */
final class Relabeler {
    private static final Logger LOG = LoggerFactory.getLogger(Relabeler.class);
    /** Entries read and re-scored together: images of one set share passes over its prompt matrix. */
    private static final int CHUNK = 32;
    /** How often images that left the window are dropped: a second late is nothing against a window of hours. */
    private static final long EVICTION_INTERVAL_MILLIS = 1000;

    private final RelabelSettings settings;
    private final RetainedImages images;
    private final Scoring scoring;
    private final RecordCodecs codecs;
    private final OutputLimits limits;
    private final LabelingMetrics metrics;
    private final String modelId;
    /** The caption-store generation last seen, and when it was first seen. */
    private long seenGeneration = -1;
    private long seenAtMillis;
    /** The generation the last finished sweep was for. */
    private long sweptGeneration = -1;
    /** The last entry the running sweep handled; null before its first. */
    private String cursor;
    private long evictedAtMillis = Long.MIN_VALUE / 2;

    Relabeler(RelabelSettings settings, RetainedImages images, Scoring scoring, RecordCodecs codecs,
              OutputLimits limits, LabelingMetrics metrics, String modelId) {
        this.settings = settings;
        this.images = images;
        this.scoring = scoring;
        this.codecs = codecs;
        this.limits = limits;
        this.metrics = metrics;
        this.modelId = modelId;
    }

    /** Keeps a freshly labelled image. */
    void retain(RetainedImages.Addition addition) {
        if (!images.put(addition)) {
            LOG.debug("image {} is too large to keep for re-labelling", addition.image().imageId());
        }
    }

    /**
     * Evicts what fell out of the window, and runs the sweep that is due for at most {@code budgetNanos}; each
     * re-labelled image's record goes to {@code publish}.
     */
    void step(long nowMillis, long budgetNanos, LabelSets labelSets, ReadOnlyKeyValueStore<String, byte[]> captions,
              Consumer<Output> publish) {
        if (nowMillis - evictedAtMillis >= EVICTION_INTERVAL_MILLIS) {
            images.evict(nowMillis - settings.window().toMillis());
            evictedAtMillis = nowMillis;
        }
        long generation = labelSets.generation();
        if (generation != seenGeneration) {
            seenGeneration = generation;
            seenAtMillis = nowMillis;
            cursor = null;
        }
        if (sweptGeneration == generation || nowMillis - seenAtMillis < settings.delay().toMillis()
                || budgetNanos <= 0) {
            return;
        }
        long started = System.nanoTime();
        Instant now = Instant.ofEpochMilli(nowMillis);
        try (KeyValueIterator<String, byte[]> it = images.statesAfter(cursor)) {
            while (it.hasNext()) {
                List<KeyValue<String, byte[]>> chunk = new ArrayList<>(CHUNK);
                while (chunk.size() < CHUNK && it.hasNext()) {
                    chunk.add(it.next());
                }
                cursor = chunk.get(chunk.size() - 1).key;
                rescore(chunk, labelSets, captions, now, publish);
                if (System.nanoTime() - started >= budgetNanos) {
                    return;
                }
            }
        }
        sweptGeneration = generation;
        cursor = null;
    }

    /** A retained image and the key of its label state. */
    private record Entry(String key, RetainedImage image) {
    }

    /**
     * Re-scores the images of a chunk whose set changed. Only their label states are read until an image needs its
     * embedding or is published. A label whose prompts did not change keeps its score (a threshold change costs no
     * dot product); images scored against a version this task does not know, or of which most labels changed, are
     * scored in full, those of one set together.
     */
    private void rescore(List<KeyValue<String, byte[]>> chunk, LabelSets labelSets,
                         ReadOnlyKeyValueStore<String, byte[]> captions, Instant now, Consumer<Output> publish) {
        Map<LabelMatrix, List<Entry>> inFull = new LinkedHashMap<>();
        for (KeyValue<String, byte[]> kv : chunk) {
            RetainedImage.LabelState state = readable(kv.key, () -> RetainedImage.LabelState.fromBytes(kv.value));
            if (state == null) {
                continue;
            }
            LabelMatrix matrix = labelSets.get(state.labelSet(), captions);
            if (matrix.labels().isEmpty() || matrix.version().equals(state.labelSetVersion())) {
                continue;
            }
            LabelMatrix.SetLabels earlier = images.setLabels(state.labelSetVersion());
            int changed = earlier != null && earlier.labelIds().size() == state.scores().scores().length
                    ? matrix.changedSince(earlier) : Integer.MAX_VALUE;
            if (changed <= matrix.labels().size() / 4) {
                Body body = new Body(kv.key, state);
                if (changed > 0 && body.get() == null) {
                    continue;
                }
                relabel(kv.key, state, body, matrix,
                        matrix.rescore(state.scores(), earlier, () -> body.get().embedding(), scoring), now, publish);
                continue;
            }
            RetainedImage image = readable(kv.key, () -> images.image(kv.key, state));
            if (image == null) {
                continue;
            }
            if (!image.modelId().equals(modelId)) {
                images.remove(kv.key); // another model's embedding space: nothing to re-score with
                continue;
            }
            inFull.computeIfAbsent(matrix, m -> new ArrayList<>()).add(new Entry(kv.key, image));
        }
        for (Map.Entry<LabelMatrix, List<Entry>> set : inFull.entrySet()) {
            LabelMatrix matrix = set.getKey();
            List<Entry> entries = set.getValue();
            float[][] embeddings = entries.stream().map(e -> e.image().embedding()).toArray(float[][]::new);
            LabelMatrix.Scores[] scores = matrix.scoreAll(embeddings, scoring);
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                relabel(e.key(), e.image().state(), () -> e.image(), matrix, scores[i], now, publish);
            }
        }
    }

    /** An image's body, read when first needed; null (and the image forgotten) when it cannot be read. */
    private final class Body implements Supplier<RetainedImage> {
        private final String stateKey;
        private final RetainedImage.LabelState state;
        private RetainedImage image;
        private boolean read;

        Body(String stateKey, RetainedImage.LabelState state) {
            this.stateKey = stateKey;
            this.state = state;
        }

        @Override
        public RetainedImage get() {
            if (!read) {
                read = true;
                image = readable(stateKey, () -> images.image(stateKey, state));
            }
            return image;
        }
    }

    /** What {@code read} reads; null, and the image forgotten, when it cannot be read. */
    private <T> T readable(String stateKey, Supplier<T> read) {
        try {
            T value = read.get();
            if (value != null) {
                return value;
            }
            LOG.warn("dropping retained image {}: its body is missing", stateKey);
        } catch (RuntimeException e) {
            LOG.warn("dropping unreadable retained image {}: {}", stateKey, e.toString());
        }
        images.remove(stateKey);
        return null;
    }

    /** Publishes a re-scored image if it is to be, and records its new state (unless it could not be read). */
    private void relabel(String stateKey, RetainedImage.LabelState before, Supplier<RetainedImage> body,
                         LabelMatrix matrix, LabelMatrix.Scores scores, Instant now, Consumer<Output> publish) {
        RetainedImage.LabelState rescored = RetainedImage.LabelState.of(matrix, scores);
        if (settings.emit() == RelabelSettings.Emit.ALL || !rescored.outcome().equals(before.outcome())) {
            RetainedImage image = body.get();
            if (image == null) {
                return;
            }
            List<LabelMatrix.Score> ranked = matrix.ranked(scores);
            byte[] bytes = codecs.write(image.labels(matrix, ranked, rescored.outcome(), List.of(),
                    LabelTrigger.LABELS_CHANGED, now));
            String tooLarge = limits.problem(codecs.topics().imageLabels(), image.imageId(), bytes,
                    "re-scored ImageLabels of label set '" + matrix.labelSet() + "' (" + ranked.size() + " labels)");
            if (tooLarge == null) {
                publish.accept(new Output(ImageLabelingProcessor.LABELS_SINK, image.imageId(), bytes));
                metrics.relabelPublished();
            } else {
                LOG.warn("image {} re-scored but not published: {}", image.imageId(), tooLarge);
            }
        }
        metrics.relabelRescored();
        images.update(stateKey, rescored, matrix.setLabels());
    }
}
