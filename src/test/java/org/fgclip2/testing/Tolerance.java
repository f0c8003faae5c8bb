package org.fgclip2.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Element-wise comparison with the official outputs, reporting the worst element. */
public final class Tolerance {
    /** The fixture README's bound for every float tensor of a faithful float32 port. */
    public static final double GOLDEN = 1e-4;

    private Tolerance() {
    }

    public static double maxAbsDiff(float[] actual, float[] expected) {
        assertThat(actual).as("length").hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    public static void assertClose(String what, float[] actual, float[] expected, double tolerance) {
        double diff = maxAbsDiff(actual, expected);
        assertThat(diff).as("%s: max abs diff %.3g (tolerance %.1g)", what, diff, tolerance).isLessThanOrEqualTo(tolerance);
    }

    public static void assertGolden(String what, float[] actual, float[] expected) {
        assertClose(what, actual, expected, GOLDEN);
    }
}
