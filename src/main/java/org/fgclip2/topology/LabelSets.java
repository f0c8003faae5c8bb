package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.CaptionEmbeddings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label sets of the global caption store as {@link LabelMatrix}es, rebuilt when the store changes (one stream
 * thread's cache). Embeddings made by another model (after a model upgrade, before the label definitions are
 * embedded again) are re-embedded here with the current model, so an image is never scored against vectors of a
 * different embedding space.
 */
final class LabelSets {
    private static final Logger LOG = LoggerFactory.getLogger(LabelSets.class);

    private final Deserializer<CaptionEmbeddings> deserializer;
    private final String captionTopic;
    private final CaptionEmbedder embedder;
    private final float defaultThreshold;
    private final AtomicLong generation;
    private final Map<String, LabelEntry> reembedded = new HashMap<>();
    private long builtGeneration = -1;
    private Map<String, LabelMatrix> sets = Map.of();

    LabelSets(Deserializer<CaptionEmbeddings> deserializer, String captionTopic, CaptionEmbedder embedder,
              float defaultThreshold, AtomicLong generation) {
        this.deserializer = deserializer;
        this.captionTopic = captionTopic;
        this.embedder = embedder;
        this.defaultThreshold = defaultThreshold;
        this.generation = generation;
    }

    LabelMatrix get(String labelSet, ReadOnlyKeyValueStore<String, byte[]> store) {
        long current = generation.get();
        if (current != builtGeneration) {
            sets = build(store);
            builtGeneration = current;
        }
        return sets.getOrDefault(labelSet, LabelMatrix.of(labelSet, List.of()));
    }

    private Map<String, LabelMatrix> build(ReadOnlyKeyValueStore<String, byte[]> store) {
        Map<String, List<LabelEntry>> bySet = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                CaptionEmbeddings e;
                try {
                    e = deserializer.deserialize(captionTopic, kv.value);
                } catch (RuntimeException ex) {
                    LOG.warn("skipping unreadable caption embeddings for label '{}': {}", kv.key, ex.getMessage());
                    continue;
                }
                bySet.computeIfAbsent(e.getLabelSet(), s -> new ArrayList<>()).add(current(e));
            }
        }
        Map<String, LabelMatrix> out = new HashMap<>();
        bySet.forEach((set, labels) -> out.put(set, LabelMatrix.of(set, labels)));
        return out;
    }

    private LabelEntry current(CaptionEmbeddings e) {
        if (e.getModelId().equals(embedder.modelId())) {
            return CaptionEmbedder.entryOf(e, defaultThreshold);
        }
        String memo = e.getLabelId() + "|" + e.getPromptsHash() + "|" + e.getThreshold();
        return reembedded.computeIfAbsent(memo, k -> {
            LOG.info("label '{}' was embedded by {}, re-embedding it with {}", e.getLabelId(), e.getModelId(),
                    embedder.modelId());
            return CaptionEmbedder.entryOf(embedder.embed(CaptionEmbedder.definitionOf(e), Instant.now()),
                    defaultThreshold);
        });
    }
}
