package org.fgclip2.heatmap;

import java.util.Objects;
import org.fgclip2.preprocess.PatchGrid;

/**
 * One label's dense patch-text similarity over an image's patch grid: one value per cell, row-major (cell
 * {@code (r, c)} is {@code values[r·w + c]}), typically a cosine in [-1, 1]. The array is shared, not copied: do
 * not modify it after construction.
 */
public record SimilarityMap(PatchGrid grid, float[] values) {

    public SimilarityMap {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(values, "values");
        if (values.length != grid.patchCount()) {
            throw new IllegalArgumentException("a " + grid.height() + "x" + grid.width() + " grid needs "
                    + grid.patchCount() + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("similarity of cell (" + i / grid.width() + ", "
                        + i % grid.width() + ") is " + values[i] + "; every value must be finite");
            }
        }
    }

    /** A map over an {@code rows × columns} grid. */
    public static SimilarityMap of(int rows, int columns, float[] values) {
        return new SimilarityMap(new PatchGrid(rows, columns), values);
    }

    public int rows() {
        return grid.height();
    }

    public int columns() {
        return grid.width();
    }

    public float at(int row, int column) {
        return values[row * grid.width() + column];
    }

    public float min() {
        float min = values[0];
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    public float max() {
        float max = values[0];
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    public double mean() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
