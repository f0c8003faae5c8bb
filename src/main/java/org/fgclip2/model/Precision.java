package org.fgclip2.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Compute precision of the forward pass. BF16 is deliberately absent: DJL's PyTorch engine aborts the JVM on
 * BF16 tensors, so BF16 checkpoints are widened to F32 (or narrowed to F16) while loading.
 */
public enum Precision {
    /** The reference precision: matches the official float32 outputs within 1e-4. */
    F32(DataType.FLOAT32),
    /** Half the weight memory and faster on GPUs; softmax and score arithmetic stay in F32. Expect ~1e-3 deviations. */
    F16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    public static Precision parse(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        if (v.equals("BF16") || v.equals("BFLOAT16")) {
            throw new IllegalArgumentException("bf16 compute is not available: DJL's PyTorch engine aborts on BF16"
                    + " tensors; use f32 (reference) or f16");
        }
        return switch (v) {
            case "F32", "FP32", "FLOAT32" -> F32;
            case "F16", "FP16", "FLOAT16", "HALF" -> F16;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "': use f32 or f16");
        };
    }
}
