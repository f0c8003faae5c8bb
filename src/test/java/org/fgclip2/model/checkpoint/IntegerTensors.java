package org.fgclip2.model.checkpoint;

import java.nio.ByteBuffer;

/** Integer tensors of the golden fixtures (token ids, masks, spatial shapes); weights are never integers. */
public final class IntegerTensors {
    private IntegerTensors() {
    }

    /** An integer tensor (I64, I32, I16, I8, U8, BOOL) widened to {@code long}. */
    public static long[] read(SafetensorsFile file, String name) {
        TensorInfo info = file.info(name);
        ByteBuffer b = file.bytes(name);
        long[] out = new long[Math.toIntExact(info.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8, BOOL -> b.get(i) & 0xFF;
                default -> throw new CheckpointException("tensor '" + name + "' is " + info.dtype() + ", not integer");
            };
        }
        return out;
    }
}
