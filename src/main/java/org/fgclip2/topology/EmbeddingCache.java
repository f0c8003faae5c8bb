package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageEmbedding;

/**
 * The embeddings of images the model already ran on, by content: the SHA-256 of the bytes, the patch budget the
 * event asked for, and the model. A repeat — the same picture under another id or URL, a retry upstream — is then
 * scored from the stored vector without a forward, and its scores are those of the first run.
 *
 * <p>Images are partitioned by their id, so a repeat lands on any task of any instance: the cache is a compacted
 * topic feeding a global store every instance holds (least recently used entries go first), written in the same
 * transaction as the first image's labels. A repeat that arrives before that transaction is committed and read
 * back simply runs the model.
 */
final class EmbeddingCache {

    private final EmbeddingCacheSettings settings;
    private final RecordCodecs codecs;
    private final OutputLimits limits;
    private final LabelingMetrics metrics;
    private final String modelId;

    EmbeddingCache(EmbeddingCacheSettings settings, RecordCodecs codecs, OutputLimits limits,
                   LabelingMetrics metrics, String modelId) {
        this.settings = settings;
        this.codecs = codecs;
        this.limits = limits;
        this.metrics = metrics;
        this.modelId = modelId;
    }

    /**
     * A cached embedding, and the patch grid it was computed at.
     *
     * @param embedding L2-normalised
     */
    record Hit(float[] embedding, int gridHeight, int gridWidth) {
    }

    /**
     * The stored embedding of an image with this content and patch budget, or null (a miss, counted with its
     * reason). Runs on fetch-pool threads: the global store is read by every stream thread already, and its LRU map
     * is synchronised.
     */
    Hit find(ReadOnlyKeyValueStore<String, byte[]> store, String contentSha256, Integer maxPatches, long nowMillis) {
        byte[] stored = store.get(key(contentSha256, maxPatches));
        if (stored == null) {
            metrics.cacheMiss("absent");
            return null;
        }
        ImageEmbedding entry;
        try {
            entry = codecs.readCacheEntry(stored);
        } catch (RuntimeException e) {
            if (FailureLedger.isEnvironmental(e)) {
                throw e;
            }
            metrics.cacheMiss("unreadable");
            return null;
        }
        if (entry.getEventTimestamp().toEpochMilli() + settings.maxAge().toMillis() < nowMillis) {
            metrics.cacheMiss("expired");
            return null;
        }
        List<Integer> shape = entry.getSpatialShape();
        if (shape.size() != 2) {
            metrics.cacheMiss("unreadable");
            return null;
        }
        return new Hit(AvroFloats.toArray(entry.getEmbedding()), shape.get(0), shape.get(1));
    }

    /** The completion with the entry that lets later repeats skip the model; without it when it would not fit. */
    Completion remember(Completion completion, WaitingImage w, ImageEmbedding embedding) {
        String topic = codecs.topics().embeddingCache();
        byte[] bytes = codecs.writeCacheEntry(embedding);
        String key = key(w.prepared().join().contentSha256(), w.event().getMaxPatches());
        if (limits.problem(topic, key, bytes, "a cache entry") != null) {
            return completion;
        }
        List<Output> outputs = new ArrayList<>(completion.outputs());
        outputs.add(new Output(ImageLabelingProcessor.EMBEDDING_CACHE_SINK, key, bytes));
        return completion.withOutputs(outputs);
    }

    /** What makes two images embed alike: their bytes, the patch budget they run at, the model. */
    private String key(String contentSha256, Integer maxPatches) {
        return contentSha256 + "|" + (maxPatches == null ? "auto" : maxPatches) + "|" + modelId;
    }
}
