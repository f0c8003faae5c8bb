package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code Fgclip2MultiheadAttentionPoolingHead}: attention, then {@code a + mlp(layernorm(a))} — the residual is the
 * attention output, never the input tokens. Used twice with the same structure: {@code vision_model.head} pools the
 * tokens with the learned {@code probe} as the single query (image features); {@code dense_feature_head} lets every
 * token be a query (dense patch features) and ignores its probe.
 */
public record AttentionPoolingHead(NDArray probe, MultiheadAttention attention, LayerNorm layernorm, Mlp mlp) {

    public static AttentionPoolingHead load(WeightLoader weights, String prefix, int hidden, int intermediate,
                                            int heads, double eps) {
        return new AttentionPoolingHead(
                weights.tensor(prefix + ".probe", 1, 1, hidden),
                MultiheadAttention.load(weights, prefix + ".attention", hidden, heads),
                LayerNorm.load(weights, prefix + ".layernorm", hidden, eps),
                Mlp.load(weights, prefix + ".mlp", hidden, intermediate));
    }

    /** Probe-query pooling: [B, N, D] tokens → [B, D]. */
    public NDArray pool(NDArray tokens, NDArray keyBias) {
        try (NDArray a = attention.forward(probe, tokens, keyBias)) {
            try (NDArray y = residualMlp(a)) {
                return y.squeeze(1);
            }
        }
    }

    /** Every token a query: [B, N, D] → [B, N, D]. */
    public NDArray dense(NDArray tokens, NDArray keyBias) {
        try (NDArray a = attention.forward(tokens, tokens, keyBias)) {
            return residualMlp(a);
        }
    }

    private NDArray residualMlp(NDArray a) {
        try (NDArray normed = layernorm.forward(a); NDArray m = mlp.forward(normed)) {
            return m.add(a);
        }
    }
}
