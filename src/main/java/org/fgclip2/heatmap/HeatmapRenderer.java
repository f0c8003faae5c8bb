package org.fgclip2.heatmap;

import java.util.Objects;
import org.fgclip2.image.PillowResize;
import org.fgclip2.image.RgbImage;

/**
 * Draws a {@link SimilarityMap} as PNG: over its image, or alone. Colours come from the viridis colour map (dark
 * purple for low similarity, yellow for high) through the style's {@link ColorScale}. Thread-safe (immutable).
 */
public final class HeatmapRenderer {

    /** Bounds {@link #mapPng}'s output, which is {@code cellPixels} times the grid on each side. */
    static final int MAX_MAP_SIDE = 8192;

    private final HeatmapStyle style;

    public HeatmapRenderer(HeatmapStyle style) {
        this.style = Objects.requireNonNull(style, "style");
    }

    /**
     * The image, scaled down so its longer side is at most {@link HeatmapStyle#maxPreviewSide()}, with the map
     * blended over it: the map is upsampled bilinearly (cell values sit at cell centres, as in an
     * {@code align_corners=false} resize, and hold at the borders), coloured, and mixed with the pixels at the
     * style's opacity. The map covers the whole image, as the patch grid covers the whole resized image.
     */
    public byte[] overlayPng(RgbImage image, SimilarityMap map) {
        RgbImage preview = preview(image);
        int width = preview.width();
        int height = preview.height();
        ColorScale.ValueRange range = style.scale().rangeFor(map);
        Axis columns = Axis.of(map.columns(), width);
        Axis rows = Axis.of(map.rows(), height);
        float[] values = map.values();
        int gridWidth = map.columns();
        double opacity = style.opacity();
        byte[] rgb = preview.rgb();
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            int top = rows.low[y] * gridWidth;
            int bottom = rows.high[y] * gridWidth;
            double fy = rows.fraction[y];
            for (int x = 0; x < width; x++) {
                int left = columns.low[x];
                int right = columns.high[x];
                double fx = columns.fraction[x];
                double upper = values[top + left] + fx * (values[top + right] - values[top + left]);
                double lower = values[bottom + left] + fx * (values[bottom + right] - values[bottom + left]);
                int color = Viridis.rgb(range.position(upper + fy * (lower - upper)));
                int at = (y * width + x) * 3;
                out[y * width + x] = blend(rgb[at] & 0xFF, color >> 16 & 0xFF, opacity) << 16
                        | blend(rgb[at + 1] & 0xFF, color >> 8 & 0xFF, opacity) << 8
                        | blend(rgb[at + 2] & 0xFF, color & 0xFF, opacity);
            }
        }
        return PngEncoder.encode(width, height, out);
    }

    /**
     * The map alone, each cell a {@code cellPixels}-sided square of one colour (no smoothing: what the model
     * actually produced).
     */
    public byte[] mapPng(SimilarityMap map, int cellPixels) {
        if (cellPixels < 1 || (long) cellPixels * Math.max(map.rows(), map.columns()) > MAX_MAP_SIDE) {
            throw new IllegalArgumentException("cellPixels must be at least 1 and keep the picture within "
                    + MAX_MAP_SIDE + " pixels per side; got " + cellPixels + " for a " + map.rows() + "x"
                    + map.columns() + " grid");
        }
        ColorScale.ValueRange range = style.scale().rangeFor(map);
        int width = map.columns() * cellPixels;
        int height = map.rows() * cellPixels;
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = Viridis.rgb(range.position(map.at(y / cellPixels, x / cellPixels)));
            }
        }
        return PngEncoder.encode(width, height, out);
    }

    private RgbImage preview(RgbImage image) {
        int longer = Math.max(image.width(), image.height());
        if (longer <= style.maxPreviewSide()) {
            return image;
        }
        double scale = (double) style.maxPreviewSide() / longer;
        int width = Math.max(1, (int) Math.round(image.width() * scale));
        int height = Math.max(1, (int) Math.round(image.height() * scale));
        return PillowResize.resize(image, width, height);
    }

    private static int blend(int under, int over, double opacity) {
        return (int) Math.round(under + opacity * (over - under));
    }

    /** For each output pixel along one axis: the two grid cells around its centre and the weight of the second. */
    private record Axis(int[] low, int[] high, double[] fraction) {
        static Axis of(int cells, int pixels) {
            int[] low = new int[pixels];
            int[] high = new int[pixels];
            double[] fraction = new double[pixels];
            double scale = (double) cells / pixels;
            for (int p = 0; p < pixels; p++) {
                double position = Math.max(0, Math.min(cells - 1, (p + 0.5) * scale - 0.5));
                low[p] = (int) position;
                high[p] = Math.min(low[p] + 1, cells - 1);
                fraction[p] = position - low[p];
            }
            return new Axis(low, high, fraction);
        }
    }
}
