package org.fgclip2.heatmap;

import java.util.Objects;

/**
 * How {@link HeatmapRenderer} draws.
 *
 * @param maxPreviewSide an overlay's longer side in pixels at most; larger images are first scaled down (aspect
 *                       kept), smaller ones are drawn at their size
 * @param opacity        weight of the colour over the image, in [0, 1]; default {@value #DEFAULT_OPACITY}
 * @param scale          which values the colour map's ends stand for
 */
public record HeatmapStyle(int maxPreviewSide, double opacity, ColorScale scale) {

    public static final double DEFAULT_OPACITY = 0.5;
    /** Larger overlays would be images, not previews; this also bounds the memory one render needs. */
    private static final int MAX_PREVIEW_SIDE_LIMIT = 8192;

    public HeatmapStyle {
        Objects.requireNonNull(scale, "scale");
        if (maxPreviewSide < 1 || maxPreviewSide > MAX_PREVIEW_SIDE_LIMIT) {
            throw new IllegalArgumentException("maxPreviewSide must be in 1.." + MAX_PREVIEW_SIDE_LIMIT + ", got "
                    + maxPreviewSide);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], got " + opacity);
        }
    }

    /** The default opacity, with previews of at most {@code maxPreviewSide} pixels. */
    public static HeatmapStyle of(int maxPreviewSide, ColorScale scale) {
        return new HeatmapStyle(maxPreviewSide, DEFAULT_OPACITY, scale);
    }
}
