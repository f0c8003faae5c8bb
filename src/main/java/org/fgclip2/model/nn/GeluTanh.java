package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * {@code gelu_pytorch_tanh}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. DJL only exposes the erf GELU, so it
 * is composed from ops, using {@code 0.5·(1 + tanh(z)) = sigmoid(2z)}:
 * {@code x · sigmoid(x · (2√(2/π) + 2·0.044715·√(2/π)·x²))} — six passes over the activations instead of nine (the MLP
 * activations are the largest tensors of a forward, so this is memory traffic that shows in the throughput).
 */
public final class GeluTanh {
    private static final float LINEAR = (float) (2 * Math.sqrt(2 / Math.PI));
    private static final float CUBIC = (float) (2 * 0.044715 * Math.sqrt(2 / Math.PI));

    private GeluTanh() {
    }

    /** Overwrites and returns {@code x}, which must be a freshly computed activation, never a weight. */
    public static NDArray applyInPlace(NDArray x) {
        try (NDArray z = x.mul(x); NDArray gate = Activation.sigmoid(z.muli(CUBIC).addi(LINEAR).muli(x))) {
            return x.muli(gate);
        }
    }
}
