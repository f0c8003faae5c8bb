package org.fgclip2.inference;

import org.fgclip2.preprocess.PatchGrid;

/**
 * Dense patch features of one image: one row per real patch of its (h, w) grid, row-major (cell (r, c) is row
 * r·w + c and covers a 16×16 block of the resized image).
 *
 * @param normalized the {@code dense_feature_head} rows [h·w × dim], L2-normalised
 */
public record DenseMap(PatchGrid grid, int dim, float[] normalized, int originalWidth, int originalHeight) {

    /**
     * The official README's dense heatmap: cosine of every patch with a normalised text feature (box walk),
     * row-major [h·w]. Plain cosine, no logit scale or bias.
     */
    public float[] similarity(float[] normalizedText) {
        int cells = grid.patchCount();
        float[] out = new float[cells];
        for (int i = 0; i < cells; i++) {
            double sum = 0;
            int at = i * dim;
            for (int c = 0; c < dim; c++) {
                sum += (double) normalized[at + c] * normalizedText[c];
            }
            out[i] = (float) sum;
        }
        return out;
    }
}
