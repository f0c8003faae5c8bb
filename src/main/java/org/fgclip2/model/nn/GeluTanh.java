package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * {@code gelu_pytorch_tanh}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. DJL only exposes the erf GELU,
 * so it is composed from ops; in place on a scratch copy to keep memory traffic low.
 */
public final class GeluTanh {
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float CUBIC = 0.044715f;

    private GeluTanh() {
    }

    /** Overwrites and returns {@code x}, which must be a freshly computed activation, never a weight. */
    public static NDArray applyInPlace(NDArray x) {
        try (NDArray inner = x.mul(x); NDArray t = inner.muli(CUBIC).addi(1f).muli(x).muli(SQRT_2_OVER_PI).tanh()) {
            t.addi(1f).muli(0.5f);
            return x.muli(t);
        }
    }
}
