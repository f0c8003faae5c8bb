package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.Linear}: {@code y = x·Wᵀ + b}, weight stored [out, in] as in the checkpoint. */
public record Linear(NDArray weight, NDArray bias) {

    public static Linear load(WeightLoader weights, String prefix, int in, int out) {
        return new Linear(weights.tensor(prefix + ".weight", out, in), weights.tensor(prefix + ".bias", out));
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
