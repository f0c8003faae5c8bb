package org.fgclip2.topology;

import org.fgclip2.heatmap.ColorScale;

/**
 * Behaviour of the labelling topology; the defaults and their reasons are in the application's settings table.
 *
 * @param defaultThreshold score at or above which a label without its own threshold is positive
 * @param actionOrder how severe label actions are, for an image's decision
 * @param heatmapsForPositive render heatmaps for positive labels
 * @param maxHeatmapsPerImage most heatmaps per image, best scores first
 * @param previewMaxSide longest side of the image under a heatmap overlay
 * @param heatmapScale what the heatmap colours stand for
 * @param heatmapWriteThreads heatmaps of a batch rendered and written at once
 * @param fetchThreads threads fetching, decoding and patching images ahead of the model (0 = on the stream thread)
 * @param recentResults latest labels kept per task in a queryable LRU store for {@code GET /images/{id}/labels}
 *     (0 keeps none)
 * @param labelLimits how large label definitions and label sets may be
 * @param deadLetterCopyBytes most bytes of the original key, and of the original value, a dead letter carries
 * @param embeddingCache the embeddings kept for repeats
 * @param relabel the labelled images kept for re-scoring when their label set changes
 * @param regions how the boxes an image event names are labelled
 */
public record LabelingSettings(TopicNames topics, BatchSettings batch, float defaultThreshold, ActionOrder actionOrder,
                               boolean heatmapsForPositive, int maxHeatmapsPerImage, int previewMaxSide,
                               ColorScale heatmapScale, int heatmapWriteThreads,
                               int fetchThreads, int recentResults, LabelLimits labelLimits,
                               int deadLetterCopyBytes, EmbeddingCacheSettings embeddingCache,
                               RelabelSettings relabel, RegionSettings regions) {

    public LabelingSettings {
        if (!(defaultThreshold >= 0f && defaultThreshold <= 1f)) {
            throw new IllegalArgumentException("default threshold must lie in [0, 1], got " + defaultThreshold);
        }
        if (maxHeatmapsPerImage < 0 || previewMaxSide < 16 || fetchThreads < 0 || recentResults < 0) {
            throw new IllegalArgumentException("heatmap and fetch settings must not be negative (preview side >= 16)");
        }
        if (deadLetterCopyBytes < 0) {
            throw new IllegalArgumentException("the dead-letter copy limit must not be negative, got "
                    + deadLetterCopyBytes);
        }
        // the topology reads "cache on" from the topic's presence, the store's size from here: they must agree
        if (embeddingCache.enabled() != (topics.embeddingCache() != null)) {
            throw new IllegalArgumentException("the embedding cache topic is set exactly when the cache has entries");
        }
    }
}
