package org.fgclip2.inference;

import java.util.Arrays;

/** Small vector helpers on the Java heap, for embeddings after they leave the engine. */
public final class Vectors {
    private Vectors() {
    }

    /** {@code x / ‖x‖₂} as the official code computes it (no epsilon: a zero vector gives NaN). */
    public static float[] l2Normalize(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] / norm);
        }
        return out;
    }

    public static float dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    /** Rows of a row-major [n × dim] array. */
    public static float[][] rows(float[] flat, int dim) {
        float[][] out = new float[flat.length / dim][];
        for (int r = 0; r < out.length; r++) {
            out[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
        }
        return out;
    }
}
