package org.fgclip2.topology;

/**
 * Behaviour of the labelling topology.
 *
 * @param defaultThreshold score at or above which a label without its own threshold is positive (default 0.3: the
 *     sigmoid scores of SigLIP-style models are calibrated per pair and rarely near 1 for a correct label)
 * @param heatmapsForPositive render heatmaps for positive labels (default true)
 * @param maxHeatmapsPerImage most heatmaps per image, best scores first (default 5)
 * @param previewMaxSide longest side of the image under a heatmap overlay (default 768)
 * @param fetchThreads threads fetching, decoding and patching images ahead of the model (default 4; 0 = on the
 *     stream thread)
 * @param recentResults latest labels kept per task in a queryable LRU store for {@code GET /images/{id}/labels}
 *     (default 10000; 0 keeps none)
 */
public record LabelingSettings(TopicNames topics, BatchSettings batch, float defaultThreshold,
                               boolean heatmapsForPositive, int maxHeatmapsPerImage, int previewMaxSide,
                               int fetchThreads, int recentResults) {

    public static final LabelingSettings DEFAULTS =
            new LabelingSettings(TopicNames.DEFAULTS, BatchSettings.DEFAULTS, 0.3f, true, 5, 768, 4, 10_000);

    public LabelingSettings {
        if (!(defaultThreshold >= 0f && defaultThreshold <= 1f)) {
            throw new IllegalArgumentException("default threshold must lie in [0, 1], got " + defaultThreshold);
        }
        if (maxHeatmapsPerImage < 0 || previewMaxSide < 16 || fetchThreads < 0 || recentResults < 0) {
            throw new IllegalArgumentException("heatmap and fetch settings must not be negative (preview side >= 16)");
        }
    }

    public LabelingSettings withTopics(TopicNames t) {
        return new LabelingSettings(t, batch, defaultThreshold, heatmapsForPositive, maxHeatmapsPerImage,
                previewMaxSide, fetchThreads, recentResults);
    }

    public LabelingSettings withBatch(BatchSettings b) {
        return new LabelingSettings(topics, b, defaultThreshold, heatmapsForPositive, maxHeatmapsPerImage,
                previewMaxSide, fetchThreads, recentResults);
    }

    public LabelingSettings withFetchThreads(int n) {
        return new LabelingSettings(topics, batch, defaultThreshold, heatmapsForPositive, maxHeatmapsPerImage,
                previewMaxSide, n, recentResults);
    }
}
