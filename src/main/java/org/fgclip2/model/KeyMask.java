package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention bias from a 0/1 key mask: 0 where a key is real, {@code float32.min} where it is padding, as
 * the official code builds it. Added to the scores of every head and query; queries are never masked.
 */
public final class KeyMask {
    private KeyMask() {
    }

    /** [B, 1, 1, S] float32 bias, or null when every key of every row is valid (the bias would be all zeros). */
    public static NDArray bias(NDManager manager, int[] validKeys, int length) {
        boolean anyPadding = false;
        for (int v : validKeys) {
            anyPadding |= v < length;
        }
        if (!anyPadding) {
            return null;
        }
        float[] bias = new float[validKeys.length * length];
        for (int b = 0; b < validKeys.length; b++) {
            for (int s = validKeys[b]; s < length; s++) {
                bias[b * length + s] = -Float.MAX_VALUE;
            }
        }
        return manager.create(bias, new Shape(validKeys.length, 1, 1, length)).toType(DataType.FLOAT32, false);
    }
}
