package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code nn.MultiheadAttention} (batch first, no bias_k/v): the packed {@code in_proj_weight} holds Wq, Wk, Wv
 * stacked on rows, sliced here as views.
 */
public record MultiheadAttention(Linear qProj, Linear kProj, Linear vProj, Linear outProj, int heads) {

    public static MultiheadAttention load(WeightLoader weights, String prefix, int hidden, int heads) {
        NDArray inW = weights.tensor(prefix + ".in_proj_weight", 3L * hidden, hidden);
        NDArray inB = weights.tensor(prefix + ".in_proj_bias", 3L * hidden);
        Linear[] qkv = new Linear[3];
        for (int i = 0; i < 3; i++) {
            String rows = (i * hidden) + ":" + ((i + 1) * hidden);
            qkv[i] = new Linear(inW.get(rows), inB.get(rows));
        }
        return new MultiheadAttention(qkv[0], qkv[1], qkv[2],
                Linear.load(weights, prefix + ".out_proj", hidden, hidden), heads);
    }

    /** @param query [1 or B, Sq, D]; {@code keyValue} [B, Sk, D]; result [B, Sq, D] */
    public NDArray forward(NDArray query, NDArray keyValue, NDArray keyBias) {
        try (NDArray q = qProj.forward(query);
             NDArray k = kProj.forward(keyValue);
             NDArray v = vProj.forward(keyValue);
             NDArray context = ScaledDotProductAttention.attend(q, k, v, heads, keyBias)) {
            return outProj.forward(context);
        }
    }
}
