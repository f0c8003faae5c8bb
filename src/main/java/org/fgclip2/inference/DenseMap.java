package org.fgclip2.inference;

import org.fgclip2.preprocess.PatchGrid;

/**
 * Dense patch features of one image: one row per real patch of its (h, w) grid, row-major (cell (r, c) is row
 * r·w + c and covers a 16×16 block of the resized image).
 *
 * @param features the {@code dense_feature_head} rows [h·w × dim] as the head gives them: regions pool these
 * @param normalized the same rows, each L2-normalised: heatmaps compare these with a text
 * @param originalWidth width of the image as decoded, the space region boxes are given in
 * @param originalHeight its height
 */
public record DenseMap(PatchGrid grid, int dim, float[] features, float[] normalized, int originalWidth,
                       int originalHeight) {

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

    /**
     * The L2-normalised region feature of a box, {@code get_image_region_features} followed by the normalisation
     * every comparison with a text applies.
     *
     * @param box {x1, y1, x2, y2} in pixels of the image as decoded; must have an area (see {@link RegionAlign})
     */
    public float[] regionEmbedding(double[] box) {
        return Vectors.l2Normalize(RegionAlign.pool(features, grid.height(), grid.width(), dim, box, originalWidth,
                originalHeight));
    }
}
