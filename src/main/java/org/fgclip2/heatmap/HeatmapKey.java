package org.fgclip2.heatmap;

import java.util.Objects;

/**
 * Names one stored heatmap: the image, the label set the label belongs to, and the label. All three come from
 * users (event ids, label configuration) and are arbitrary strings; stores derive safe names from them.
 */
public record HeatmapKey(String imageId, String labelSet, String labelId) {

    public HeatmapKey {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(labelSet, "labelSet");
        Objects.requireNonNull(labelId, "labelId");
    }
}
