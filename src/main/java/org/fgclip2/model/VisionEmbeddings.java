package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import org.fgclip2.model.nn.Linear;
import org.fgclip2.model.nn.WeightLoader;

/**
 * {@code vision_model.embeddings} (SigLIP 2 NaFlex): a Linear patch embedding of the flattened (py, px, c) patches,
 * plus the learned g×g position grid resized to each image's (h, w) patch grid with antialiased bilinear weights
 * and flattened row-major. Padding positions take row 0 of the resized grid, as the official code does.
 */
public record VisionEmbeddings(Linear patchEmbedding, NDArray positionEmbedding, VisionConfig config) {

    static VisionEmbeddings load(WeightLoader weights, VisionConfig c) {
        return new VisionEmbeddings(
                Linear.load(weights, "vision_model.embeddings.patch_embedding", c.patchInputSize(), c.hiddenSize()),
                weights.tensor("vision_model.embeddings.position_embedding.weight", c.numPatches(), c.hiddenSize()),
                c);
    }

    /**
     * @param pixelValues [B, N, C·p·p] patches, zero rows for padding
     * @param spatialShapes per image (h, w) in patches, h·w ≤ N
     * @return [B, N, D]
     */
    public NDArray forward(NDArray pixelValues, int[][] spatialShapes) {
        long padded = pixelValues.getShape().get(1);
        NDArray patches = patchEmbedding.forward(pixelValues);
        try (NDList positions = new NDList(spatialShapes.length)) {
            for (int[] hw : spatialShapes) {
                positions.add(resizedPositions(pixelValues.getManager(), hw[0], hw[1], padded));
            }
            try (NDArray stacked = NDArrays.stack(positions)) {
                return patches.addi(stacked);
            }
        }
    }

    /** The grid resized to (h, w) as [N, D]: h·w rows, then copies of row 0 up to N. */
    public NDArray resizedPositions(NDManager manager, int h, int w, long padded) {
        int g = config.positionGridSide();
        long d = config.hiddenSize();
        var type = positionEmbedding.getDataType();
        try (NDArray ah = manager.create(PositionGridResize.weights(g, h), new Shape(h, g)).toType(type, false);
             NDArray aw = manager.create(PositionGridResize.weights(g, w), new Shape(w, g)).toType(type, false);
             NDArray grid = positionEmbedding.reshape(g, g, d);
             NDArray alongX = aw.matMul(grid);                       // [g, w, D]: contract grid columns
             NDArray flat = alongX.reshape(g, w * d);
             NDArray resized = ah.matMul(flat).reshape(h * (long) w, d); // [h·w, D]: contract grid rows
             NDArray rowIndex = manager.create(paddedRowIndex(h * w, padded))) {
            return Embedding.embedding(rowIndex, resized, SparseFormat.DENSE).singletonOrThrow();
        }
    }

    private static long[] paddedRowIndex(int valid, long padded) {
        long[] index = new long[Math.toIntExact(padded)];
        for (int i = 0; i < valid; i++) {
            index[i] = i;
        }
        return index;
    }
}
