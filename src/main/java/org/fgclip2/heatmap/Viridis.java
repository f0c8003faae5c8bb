package org.fgclip2.heatmap;

/**
 * The viridis colour map (van der Walt and Smith, matplotlib's default since 2.0): perceptually uniform, its
 * lightness rising monotonically from dark purple to yellow, readable by colour-blind viewers and in greyscale.
 * The official FG-CLIP 2 demo shows its dense maps with it ({@code plt.imshow}'s default).
 *
 * <p>Built as a 256-entry table from Matt Zucker's published degree-6 least-squares polynomial fit of the
 * matplotlib table (shadertoy.com/view/WlfXRN, CC0; within 3.3/255 of the table on every channel).
 */
final class Viridis {

    // coefficients of t^0 .. t^6, per channel
    private static final double[] RED = {0.2777273272234177, 0.1050930431085774, -0.3308618287255563,
            -4.634230498983486, 6.228269936347081, 4.776384997670288, -5.435455855934631};
    private static final double[] GREEN = {0.005407344544966578, 1.404613529898575, 0.214847559468213,
            -5.799100973351585, 14.17993336680509, -13.74514537774601, 4.645852612178535};
    private static final double[] BLUE = {0.3340998053353061, 1.384590162594685, 0.09509516302823659,
            -19.33244095627987, 56.69055260068105, -65.35303263337234, 26.3124352495832};

    static final int SIZE = 256;
    private static final int[] TABLE = new int[SIZE];

    static {
        for (int i = 0; i < SIZE; i++) {
            double t = i / (SIZE - 1.0);
            TABLE[i] = channel(RED, t) << 16 | channel(GREEN, t) << 8 | channel(BLUE, t);
        }
    }

    private Viridis() {
    }

    /**
     * The colour at position {@code t} (clamped to [0, 1]) as {@code 0xRRGGBB}; entry {@code floor(256·t)}, the
     * last for 1, as matplotlib picks it.
     */
    static int rgb(double t) {
        double clamped = t > 0 ? Math.min(t, 1) : 0; // NaN ends at 0 too
        return TABLE[Math.min(SIZE - 1, (int) (clamped * SIZE))];
    }

    private static int channel(double[] coefficients, double t) {
        double value = 0;
        for (int k = coefficients.length - 1; k >= 0; k--) {
            value = value * t + coefficients[k];
        }
        return (int) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }
}
