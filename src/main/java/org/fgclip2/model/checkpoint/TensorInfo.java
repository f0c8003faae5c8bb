package org.fgclip2.model.checkpoint;

import java.util.Arrays;

/**
 * One entry of a safetensors header: dtype, shape and the byte range inside the data section.
 *
 * @param begin offset of the first byte, relative to the start of the data section
 * @param end offset one past the last byte
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    /** Shape as a readable string, e.g. {@code [768, 3072]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}
