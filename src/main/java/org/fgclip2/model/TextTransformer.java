package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import org.fgclip2.model.nn.Encoder;
import org.fgclip2.model.nn.LayerNorm;
import org.fgclip2.model.nn.Linear;
import org.fgclip2.model.nn.WeightLoader;

/**
 * {@code Fgclip2TextTransformer} ({@code text_model.*}): embeddings, a pre-LN encoder without causal mask, the
 * final layer norm, and {@code head} (applied for the short walk only).
 */
public record TextTransformer(TextEmbeddings embeddings, Encoder encoder, LayerNorm finalLayerNorm, Linear head,
                              TextConfig config) {

    static TextTransformer load(WeightLoader weights, TextConfig c) {
        return new TextTransformer(
                TextEmbeddings.load(weights, c),
                Encoder.load(weights, "text_model.encoder", c.numHiddenLayers(), c.hiddenSize(),
                        c.intermediateSize(), c.numAttentionHeads(), c.layerNormEps()),
                LayerNorm.load(weights, "text_model.final_layer_norm", c.hiddenSize(), c.layerNormEps()),
                Linear.load(weights, "text_model.head", c.hiddenSize(), c.projectionSize()),
                c);
    }

    /**
     * @param inputIds [B, L] int64
     * @param keyBias [B, 1, 1, L] additive mask, or null: the official tokenizer returns no attention mask, so the
     *     official model is called without one and pad tokens attend and are attended to
     * @return {@code last_hidden_state} [B, L, D]
     */
    public NDArray lastHiddenState(NDArray inputIds, TextWalk walk, NDArray keyBias) {
        try (NDArray x = embeddings.forward(inputIds, walk); NDArray h = encoder.forward(x, keyBias)) {
            return finalLayerNorm.forward(h);
        }
    }

    /**
     * The pooled vector: the LAST position (index L−1) whatever token stands there — a pad for every caption shorter
     * than L. {@code head} is applied only for the short walk, as the official {@code pooler_output}.
     */
    public NDArray pooledOutput(NDArray lastHiddenState, TextWalk walk) {
        NDArray last = lastHiddenState.get(":, -1, :");
        if (walk != TextWalk.SHORT) {
            return last;
        }
        try (last) {
            return head.forward(last);
        }
    }
}
