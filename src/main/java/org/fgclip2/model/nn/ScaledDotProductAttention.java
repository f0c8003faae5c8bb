package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention shared by the encoder layers and both pooling heads:
 * {@code softmax(q·kᵀ/√d + bias)·v} per head, heads being contiguous column chunks of the hidden axis.
 * Queries are scaled before the product (as {@code nn.MultiheadAttention} does; the same up to rounding).
 * Softmax runs in float32 even when the rest is float16.
 */
public final class ScaledDotProductAttention {
    private ScaledDotProductAttention() {
    }

    /**
     * @param q [B or 1, Sq, D] projected queries
     * @param k [B, Sk, D] projected keys
     * @param v [B, Sk, D] projected values
     * @param keyBias [B, 1, 1, Sk] additive key mask (0 keep, very negative drop), or null for none
     * @return [B, Sq, D]
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray keyBias) {
        long batch = k.getShape().get(0);
        long queries = q.getShape().get(1);
        long dim = q.getShape().get(2);
        long headDim = dim / heads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        // Every intermediate is closed here rather than at the end of the forward's scope: the freed memory is
        // reused by the next layer instead of growing the process.
        try (NDArray scaled = q.mul(scale);
             NDArray qSplit = scaled.reshape(q.getShape().get(0), queries, heads, headDim);
             NDArray qh = qSplit.transpose(0, 2, 1, 3);
             NDArray kSplit = k.reshape(batch, -1, heads, headDim);
             NDArray kt = kSplit.transpose(0, 2, 3, 1);
             NDArray vSplit = v.reshape(batch, -1, heads, headDim);
             NDArray vh = vSplit.transpose(0, 2, 1, 3);
             NDArray scores = qh.matMul(kt);
             NDArray probs = softmax(scores, keyBias);
             NDArray context = probs.matMul(vh);
             NDArray merged = context.transpose(0, 2, 1, 3)) {
            return merged.reshape(new Shape(batch, queries, dim));
        }
    }

    private static NDArray softmax(NDArray scores, NDArray keyBias) {
        DataType type = scores.getDataType();
        if (type == DataType.FLOAT32) {
            if (keyBias != null) {
                scores.addi(keyBias);
            }
            return scores.softmax(-1);
        }
        try (NDArray wide = scores.toType(DataType.FLOAT32, false)) {
            if (keyBias != null) {
                wide.addi(keyBias);
            }
            try (NDArray p = wide.softmax(-1)) {
                return p.toType(type, false);
            }
        }
    }
}
