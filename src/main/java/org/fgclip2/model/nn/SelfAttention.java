package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/** Encoder self-attention with separate {@code q_proj}, {@code k_proj}, {@code v_proj} and {@code out_proj}. */
public record SelfAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int heads) {

    public static SelfAttention load(WeightLoader weights, String prefix, int hidden, int heads) {
        return new SelfAttention(
                Linear.load(weights, prefix + ".q_proj", hidden, hidden),
                Linear.load(weights, prefix + ".k_proj", hidden, hidden),
                Linear.load(weights, prefix + ".v_proj", hidden, hidden),
                Linear.load(weights, prefix + ".out_proj", hidden, hidden),
                heads);
    }

    public NDArray forward(NDArray x, NDArray keyBias) {
        try (NDArray q = qProj.forward(x);
             NDArray k = kProj.forward(x);
             NDArray v = vProj.forward(x);
             NDArray context = ScaledDotProductAttention.attend(q, k, v, heads, keyBias)) {
            return outProj.forward(context);
        }
    }
}
