package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/** {@code fc2(gelu_tanh(fc1(x)))}. */
public record Mlp(Linear fc1, Linear fc2) {

    public static Mlp load(WeightLoader weights, String prefix, int hidden, int intermediate) {
        return new Mlp(Linear.load(weights, prefix + ".fc1", hidden, intermediate),
                Linear.load(weights, prefix + ".fc2", intermediate, hidden));
    }

    public NDArray forward(NDArray x) {
        try (NDArray h = fc1.forward(x)) {
            return fc2.forward(GeluTanh.applyInPlace(h));
        }
    }
}
