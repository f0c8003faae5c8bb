package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/**
 * {@code gelu_pytorch_tanh}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. DJL only exposes the erf GELU, so it
 * is composed from ops, using {@code 0.5·(1 + tanh(z)) = sigmoid(2z)}:
 * {@code x · sigmoid(x · (2√(2/π) + 2·0.044715·√(2/π)·x²))}. The six element-wise passes run over slices of rows
 * small enough to stay in the CPU cache, so the activations — the largest tensors of a forward — cross memory about
 * once instead of six times (PyTorch's own GELU is one fused kernel).
 */
public final class GeluTanh {
    private static final float LINEAR = (float) (2 * Math.sqrt(2 / Math.PI));
    private static final float CUBIC = (float) (2 * 0.044715 * Math.sqrt(2 / Math.PI));
    /** Elements per slice: 256 KiB of float32, well inside a core's L2 cache. */
    private static final long SLICE_ELEMENTS = 64 * 1024;

    private GeluTanh() {
    }

    /** Overwrites and returns {@code x}, which must be a freshly computed, contiguous activation, never a weight. */
    public static NDArray applyInPlace(NDArray x) {
        long width = x.getShape().get(x.getShape().dimension() - 1);
        long rows = x.size() / width;
        long sliceRows = Math.max(1, SLICE_ELEMENTS / width);
        if (rows <= sliceRows) {
            applyToSlice(x);
            return x;
        }
        try (NDArray matrix = x.reshape(rows, width)) {
            for (long start = 0; start < rows; start += sliceRows) {
                try (NDArray slice = matrix.get(new NDIndex("{}:{}", start, Math.min(rows, start + sliceRows)))) {
                    applyToSlice(slice);
                }
            }
        }
        return x;
    }

    private static void applyToSlice(NDArray x) {
        try (NDArray z = x.mul(x); NDArray gate = Activation.sigmoid(z.muli(CUBIC).addi(LINEAR).muli(x))) {
            x.muli(gate);
        }
    }
}
