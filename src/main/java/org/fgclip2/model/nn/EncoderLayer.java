package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/** Pre-LN transformer layer: {@code x += self_attn(layer_norm1(x)); x += mlp(layer_norm2(x))}. */
public record EncoderLayer(LayerNorm layerNorm1, SelfAttention selfAttn, LayerNorm layerNorm2, Mlp mlp) {

    public static EncoderLayer load(WeightLoader weights, String prefix, int hidden, int intermediate, int heads,
                                    double eps) {
        return new EncoderLayer(
                LayerNorm.load(weights, prefix + ".layer_norm1", hidden, eps),
                SelfAttention.load(weights, prefix + ".self_attn", hidden, heads),
                LayerNorm.load(weights, prefix + ".layer_norm2", hidden, eps),
                Mlp.load(weights, prefix + ".mlp", hidden, intermediate));
    }

    /** Returns a new array; {@code x} is left as it was. */
    public NDArray forward(NDArray x, NDArray keyBias) {
        NDArray h;
        try (NDArray normed = layerNorm1.forward(x); NDArray attended = selfAttn.forward(normed, keyBias)) {
            h = attended.add(x);
        }
        try (NDArray normed = layerNorm2.forward(h); NDArray mlpOut = mlp.forward(normed)) {
            return h.addi(mlpOut);
        }
    }
}
