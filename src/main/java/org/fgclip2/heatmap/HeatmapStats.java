package org.fgclip2.heatmap;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where a label is strongest in an image, in original-image pixels, from its {@link SimilarityMap}.
 *
 * <p>Cell {@code (r, c)} of an {@code h×w} grid over a {@code W×H} image covers {@code x ∈ [c·W/w, (c+1)·W/w)} and
 * {@code y ∈ [r·H/h, (r+1)·H/h)}; in whole pixels, a cell spans every pixel it touches, from
 * {@code floor(c·W/w)} to {@code ceil((c+1)·W/w)} (exclusive), and its centre is the pixel containing the point
 * {@code ((c+½)·W/w, (r+½)·H/h)}. All of it is computed in exact integer arithmetic.
 *
 * <p><b>Peak region.</b> The 4-connected component containing the peak cell, of the cells whose value is at
 * least {@code mean + fraction·(peak − mean)}; with the default fraction ½ that is "half-way from the map's
 * typical level to its peak", a half-maximum above background that does not depend on the model's cosine range.
 * Cells touching only diagonally and separate blobs are left out. A flat map (every cell equal) gives the whole
 * image: there is nothing to localise.
 *
 * @param peakScore       the largest value
 * @param meanScore       the mean over all cells
 * @param peakRow         the peak cell's row (the first in row-major order when several share the peak)
 * @param peakColumn      the peak cell's column
 * @param peakX           the x of the peak cell's centre pixel
 * @param peakY           the y of the peak cell's centre pixel
 * @param regionThreshold the value a cell needed to join the peak region
 * @param regionCells     how many cells the peak region has
 * @param peakRegion      the pixels the peak region's cells cover, clamped to the image
 */
public record HeatmapStats(float peakScore, double meanScore, int peakRow, int peakColumn, int peakX, int peakY,
                           double regionThreshold, int regionCells, PixelRect peakRegion) {

    public static final double DEFAULT_REGION_FRACTION = 0.5;
    private static final int[] NEIGHBOUR_ROW = {-1, 1, 0, 0};
    private static final int[] NEIGHBOUR_COLUMN = {0, 0, -1, 1};

    /** With the default region fraction ½. */
    public static HeatmapStats of(SimilarityMap map, int imageWidth, int imageHeight) {
        return of(map, imageWidth, imageHeight, DEFAULT_REGION_FRACTION);
    }

    /**
     * @param imageWidth     the original image's width, the space of the returned pixel coordinates
     * @param regionFraction in [0, 1]: 0 admits every cell at or above the mean, 1 only cells equal to the peak
     */
    public static HeatmapStats of(SimilarityMap map, int imageWidth, int imageHeight, double regionFraction) {
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        if (!(regionFraction >= 0 && regionFraction <= 1)) {
            throw new IllegalArgumentException("regionFraction must be in [0, 1], got " + regionFraction);
        }
        float[] values = map.values();
        int peak = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[peak]) {
                peak = i;
            }
        }
        int columns = map.columns();
        int rows = map.rows();
        int peakRow = peak / columns;
        int peakColumn = peak % columns;
        double mean = map.mean();
        // min(): rounding must not lift the threshold above the peak itself
        double threshold = Math.min(values[peak], mean + regionFraction * (values[peak] - mean));

        boolean[] inRegion = new boolean[values.length];
        Deque<Integer> pending = new ArrayDeque<>();
        inRegion[peak] = true;
        pending.add(peak);
        int cells = 0;
        int top = peakRow;
        int bottom = peakRow;
        int left = peakColumn;
        int right = peakColumn;
        while (!pending.isEmpty()) {
            int cell = pending.poll();
            int r = cell / columns;
            int c = cell % columns;
            cells++;
            top = Math.min(top, r);
            bottom = Math.max(bottom, r);
            left = Math.min(left, c);
            right = Math.max(right, c);
            for (int k = 0; k < 4; k++) {
                int nr = r + NEIGHBOUR_ROW[k];
                int nc = c + NEIGHBOUR_COLUMN[k];
                if (nr >= 0 && nr < rows && nc >= 0 && nc < columns) {
                    int index = nr * columns + nc;
                    if (!inRegion[index] && values[index] >= threshold) {
                        inRegion[index] = true;
                        pending.add(index);
                    }
                }
            }
        }
        PixelRect box = new PixelRect(
                floorDiv(left, imageWidth, columns), floorDiv(top, imageHeight, rows),
                ceilDiv(right + 1, imageWidth, columns), ceilDiv(bottom + 1, imageHeight, rows));
        return new HeatmapStats(values[peak], mean, peakRow, peakColumn,
                (int) ((2L * peakColumn + 1) * imageWidth / (2L * columns)),
                (int) ((2L * peakRow + 1) * imageHeight / (2L * rows)),
                threshold, cells, box);
    }

    /** {@code floor(cell·size/cells)}. */
    private static int floorDiv(int cell, int size, int cells) {
        return (int) ((long) cell * size / cells);
    }

    /** {@code ceil(cell·size/cells)}; at most {@code size} for {@code cell ≤ cells}. */
    private static int ceilDiv(int cell, int size, int cells) {
        return (int) (((long) cell * size + cells - 1) / cells);
    }
}
