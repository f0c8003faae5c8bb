package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.LayerNorm} over the last axis, biased variance, with the config's epsilon (1e-6, not DJL's 1e-5). */
public record LayerNorm(NDArray weight, NDArray bias, float eps) {

    public static LayerNorm load(WeightLoader weights, String prefix, int size, double eps) {
        return new LayerNorm(weights.tensor(prefix + ".weight", size), weights.tensor(prefix + ".bias", size),
                (float) eps);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, weight.getShape(), weight, bias, eps).singletonOrThrow();
    }
}
