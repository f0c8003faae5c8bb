package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.List;

/** Vectors as Avro's generated classes hold them ({@code array<float>} is a {@code List<Float>}), and back. */
final class AvroFloats {
    private AvroFloats() {
    }

    static List<Float> toList(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    static float[] toArray(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
