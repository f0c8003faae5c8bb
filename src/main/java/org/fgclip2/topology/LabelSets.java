package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
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

    private final RecordCodecs codecs;
    private final CaptionEmbedder embedder;
    private final float defaultThreshold;
    private final ActionOrder actionOrder;
    private final AtomicLong generation;
    private final Map<String, LabelEntry> reembedded = new HashMap<>();
    private long builtGeneration = -1;
    /** Per set, its labels embedded by the current model, ready to score. */
    private Map<String, List<LabelEntry>> current = Map.of();
    /** Per set, its labels embedded by another model (after a model upgrade), re-embedded when scored. */
    private Map<String, List<CaptionEmbeddings>> foreign = Map.of();
    private final Map<String, LabelMatrix> matrices = new HashMap<>();

    /** @param generation the caption store's, which tells when to rebuild */
    LabelSets(RecordCodecs codecs, CaptionEmbedder embedder, float defaultThreshold, ActionOrder actionOrder,
              AtomicLong generation) {
        this.codecs = codecs;
        this.embedder = embedder;
        this.defaultThreshold = defaultThreshold;
        this.actionOrder = actionOrder;
        this.generation = generation;
    }

    /** A set as scored now; a set nobody defined has no labels. */
    LabelMatrix get(String labelSet, ReadOnlyKeyValueStore<String, byte[]> store) {
        refresh(store);
        if (!current.containsKey(labelSet) && !foreign.containsKey(labelSet)) {
            return LabelMatrix.of(labelSet, List.of(), actionOrder); // not cached: event-chosen names must not grow the cache
        }
        return matrices.computeIfAbsent(labelSet, set -> {
            List<LabelEntry> labels = new ArrayList<>(current.getOrDefault(set, List.of()));
            foreign.getOrDefault(set, List.of()).forEach(e -> labels.add(reembed(e)));
            return LabelMatrix.of(set, labels, actionOrder);
        });
    }

    /** Changes whenever the caption store does. */
    long generation() {
        return generation.get();
    }

    /** The labels of a set as stored, by id, with their prompts (embedded by whichever model). */
    Map<String, List<String>> prompts(String labelSet, ReadOnlyKeyValueStore<String, byte[]> store) {
        refresh(store);
        Map<String, List<String>> out = new HashMap<>();
        current.getOrDefault(labelSet, List.of()).forEach(l -> out.put(l.labelId(), l.prompts()));
        foreign.getOrDefault(labelSet, List.of()).forEach(e -> out.put(e.getLabelId(), e.getPrompts()));
        return out;
    }

    /** The names of the sets that have labels, sorted, for messages (at most 20). */
    String names() {
        Set<String> sets = new TreeSet<>(current.keySet());
        sets.addAll(foreign.keySet());
        List<String> names = sets.stream().limit(20).toList();
        return names.isEmpty() ? "none" : String.join(", ", names) + (sets.size() > 20 ? ", ..." : "");
    }

    private void refresh(ReadOnlyKeyValueStore<String, byte[]> store) {
        long current = generation.get();
        if (current != builtGeneration) {
            read(store);
            matrices.clear();
            builtGeneration = current;
        }
    }

    private void read(ReadOnlyKeyValueStore<String, byte[]> store) {
        Map<String, List<LabelEntry>> ready = new HashMap<>();
        Map<String, List<CaptionEmbeddings>> other = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                CaptionEmbeddings e;
                try {
                    e = codecs.readCaptionEmbeddings(kv.value);
                } catch (RuntimeException ex) {
                    LOG.warn("skipping unreadable caption embeddings for label '{}': {}", kv.key, ex.getMessage());
                    continue;
                }
                if (e.getModelId().equals(embedder.modelId())) {
                    ready.computeIfAbsent(e.getLabelSet(), s -> new ArrayList<>())
                            .add(CaptionEmbedder.entryOf(e, defaultThreshold));
                } else {
                    other.computeIfAbsent(e.getLabelSet(), s -> new ArrayList<>()).add(e);
                }
            }
        }
        current = ready;
        foreign = other;
    }

    private LabelEntry reembed(CaptionEmbeddings e) {
        String memo = e.getLabelId() + "|" + e.getPromptsHash() + "|" + e.getThreshold() + "|" + e.getAction() + "|"
                + e.getReviewMargin();
        return reembedded.computeIfAbsent(memo, k -> {
            LOG.info("label '{}' was embedded by {}, re-embedding it with {}", e.getLabelId(), e.getModelId(),
                    embedder.modelId());
            return CaptionEmbedder.entryOf(embedder.embed(CaptionEmbedder.definitionOf(e), Instant.now()),
                    defaultThreshold);
        });
    }
}
