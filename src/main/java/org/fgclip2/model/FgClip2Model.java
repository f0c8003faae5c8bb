package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.fgclip2.model.checkpoint.Checkpoint;
import org.fgclip2.model.nn.AttentionPoolingHead;
import org.fgclip2.model.nn.Linear;
import org.fgclip2.model.nn.WeightLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FG_CLIP2_Model}: the two towers and the FG-CLIP 2 heads, with fields named after the checkpoint keys.
 *
 * <p>Forward methods take and return engine arrays and allocate intermediates freely: callers run them inside an
 * {@link ai.djl.ndarray.NDScope} (the inference layer does) so that every intermediate is freed when the batch is
 * done. The weights are read-only.
 */
public record FgClip2Model(
        FgClip2Config config,
        TextTransformer textModel,
        VisionTransformer visionModel,
        AttentionPoolingHead denseFeatureHead,
        Linear longtextHead,
        Linear boxtextHead,
        float logitScale,
        float logitBias) {

    private static final Logger LOG = LoggerFactory.getLogger(FgClip2Model.class);

    /** Loads {@code config.json} and the safetensors weights of a checkpoint folder onto {@code manager}'s device. */
    public static FgClip2Model load(Path folder, NDManager manager, Precision precision) throws IOException {
        FgClip2Config config = FgClip2Config.load(folder.resolve("config.json"));
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            return load(config, checkpoint, manager, precision);
        }
    }

    /** Loads the weights of an open checkpoint; the arrays stay valid after the checkpoint is closed. */
    public static FgClip2Model load(FgClip2Config config, Checkpoint checkpoint, NDManager manager, Precision precision) {
        WeightLoader weights = new WeightLoader(checkpoint, manager, precision.dataType());
        FgClip2Model model = load(config, weights);
        Set<String> unused = weights.unusedKeys();
        if (!unused.isEmpty()) {
            LOG.info("ignoring {} checkpoint tensors no inference path uses: {}", unused.size(), unused);
        }
        return model;
    }

    static FgClip2Model load(FgClip2Config c, WeightLoader weights) {
        int d = c.text().hiddenSize();
        VisionConfig v = c.vision();
        return new FgClip2Model(
                c,
                TextTransformer.load(weights, c.text()),
                VisionTransformer.load(weights, v),
                AttentionPoolingHead.load(weights, "dense_feature_head", v.hiddenSize(), v.intermediateSize(),
                        v.numAttentionHeads(), v.layerNormEps()),
                Linear.load(weights, "longtext_head", d, d),
                Linear.load(weights, "boxtext_head", d, d),
                weights.scalar("logit_scale"),
                weights.scalar("logit_bias"));
    }

    /**
     * {@code get_text_features(input_ids, walk_type)}: short → {@code text_model.head}, box → {@code boxtext_head},
     * long → {@code longtext_head}, each on the last-position vector. Not normalised. [B, D]
     */
    public NDArray textFeatures(NDArray inputIds, TextWalk walk, NDArray keyBias) {
        NDArray hidden = textModel.lastHiddenState(inputIds, walk, keyBias);
        NDArray pooled = textModel.pooledOutput(hidden, walk);
        return switch (walk) {
            case SHORT -> pooled;
            case BOX -> boxtextHead.forward(pooled);
            case LONG -> longtextHead.forward(pooled);
        };
    }

    /** {@code vision_model.last_hidden_state} [B, N, D]. */
    public NDArray visionHiddenState(NDArray pixelValues, int[][] spatialShapes, NDArray keyBias) {
        return visionModel.lastHiddenState(pixelValues, spatialShapes, keyBias);
    }

    /** {@code get_image_features}: the attention-pooled image vector, not normalised. [B, D] */
    public NDArray imageFeatures(NDArray visionHiddenState, NDArray keyBias) {
        return visionModel.head().pool(visionHiddenState, keyBias);
    }

    /** {@code get_image_dense_feature}: per-patch features [B, N, D] (padding rows included, meaningless). */
    public NDArray denseFeatures(NDArray visionHiddenState, NDArray keyBias) {
        return denseFeatureHead.dense(visionHiddenState, keyBias);
    }
}
