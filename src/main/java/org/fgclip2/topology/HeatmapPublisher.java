package org.fgclip2.topology;

import java.net.URI;
import java.util.List;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.PixelBox;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.heatmap.HeatmapKey;
import org.fgclip2.heatmap.HeatmapRenderer;
import org.fgclip2.heatmap.HeatmapStats;
import org.fgclip2.heatmap.HeatmapStore;
import org.fgclip2.heatmap.SimilarityMap;
import org.fgclip2.image.RgbImage;
import org.fgclip2.inference.DenseMap;

/**
 * Renders a label's dense similarity map (the box prompt against every patch, plain cosine as in the official
 * dense-feature demo) over the image, writes the PNG to the heatmap store, and only then builds the record that
 * references it — a consumer never sees a URI whose file is not there yet.
 */
final class HeatmapPublisher {

    private final HeatmapStore store;
    private final HeatmapRenderer renderer;
    private final String modelId;

    HeatmapPublisher(HeatmapStore store, HeatmapRenderer renderer, String modelId) {
        this.store = store;
        this.renderer = renderer;
        this.modelId = modelId;
    }

    RegionHeatmap publish(ImageEvent event, String labelSet, LabelMatrix.Score score, DenseMap map,
                          RgbImage preview) {
        SimilarityMap similarity = new SimilarityMap(map.grid(), map.similarity(score.label().boxEmbedding()));
        HeatmapStats stats = HeatmapStats.of(similarity, map.originalWidth(), map.originalHeight());
        byte[] png = renderer.overlayPng(preview, similarity);
        URI uri = store.put(new HeatmapKey(event.getId(), labelSet, score.label().labelId()), png);
        return RegionHeatmap.newBuilder()
                .setImageId(event.getId())
                .setLabelId(score.label().labelId())
                .setLabelSet(labelSet)
                .setModelId(modelId)
                .setHeatmapUri(uri.toString())
                .setGridShape(List.of(map.grid().height(), map.grid().width()))
                .setPeakScore(stats.peakScore())
                .setPeakX(stats.peakX())
                .setPeakY(stats.peakY())
                .setBox(new PixelBox(stats.peakRegion().x1(), stats.peakRegion().y1(), stats.peakRegion().x2(),
                        stats.peakRegion().y2()))
                .setLabelScore(score.score())
                .setAttributes(event.getAttributes())
                .build();
    }
}
