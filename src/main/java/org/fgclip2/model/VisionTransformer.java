package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import org.fgclip2.model.nn.AttentionPoolingHead;
import org.fgclip2.model.nn.Encoder;
import org.fgclip2.model.nn.LayerNorm;
import org.fgclip2.model.nn.WeightLoader;

/**
 * {@code Fgclip2VisionTransformer} ({@code vision_model.*}): NaFlex embeddings, a pre-LN encoder whose keys are
 * masked where patches are padding, {@code post_layernorm}, and the attention-pooling {@code head}.
 */
public record VisionTransformer(VisionEmbeddings embeddings, Encoder encoder, LayerNorm postLayernorm,
                                AttentionPoolingHead head) {

    static VisionTransformer load(WeightLoader weights, VisionConfig c) {
        return new VisionTransformer(
                VisionEmbeddings.load(weights, c),
                Encoder.load(weights, "vision_model.encoder", c.numHiddenLayers(), c.hiddenSize(),
                        c.intermediateSize(), c.numAttentionHeads(), c.layerNormEps()),
                LayerNorm.load(weights, "vision_model.post_layernorm", c.hiddenSize(), c.layerNormEps()),
                AttentionPoolingHead.load(weights, "vision_model.head", c.hiddenSize(), c.intermediateSize(),
                        c.numAttentionHeads(), c.layerNormEps()));
    }

    /** {@code last_hidden_state} [B, N, D]; {@code keyBias} [B, 1, 1, N] or null when no image is padded. */
    public NDArray lastHiddenState(NDArray pixelValues, int[][] spatialShapes, NDArray keyBias) {
        try (NDArray x = embeddings.forward(pixelValues, spatialShapes); NDArray h = encoder.forward(x, keyBias)) {
            return postLayernorm.forward(h);
        }
    }
}
