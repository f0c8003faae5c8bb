package org.fgclip2.image;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize(size, Image.BILINEAR)} on 8-bit RGB, bit for bit (a port of {@code ImagingResample}
 * in Pillow 9.4's {@code Resample.c}, the resize the official FG-CLIP 2 processor uses).
 *
 * <p>Per axis a triangle filter whose support grows with the down-scale factor (so down-scaling averages every
 * source pixel, like an antialiased resize), weights normalised in double and rounded to 22-bit fixed point;
 * the horizontal pass runs first into an 8-bit intermediate image, then the vertical pass; an axis whose size
 * does not change is not filtered at all. Java's AWT scaling is not equivalent.
 */
public final class PillowResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int ROUNDING = 1 << (PRECISION_BITS - 1);

    private PillowResize() {
    }

    /**
     * The image resized to {@code width × height}; the input itself when the size does not change (Pillow then
     * returns a copy with the same pixels).
     */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        boolean horizontal = width != image.width();
        boolean vertical = height != image.height();
        if (!horizontal && !vertical) {
            return image;
        }
        Coefficients columns = horizontal ? Coefficients.of(image.width(), width) : null;
        Coefficients rows = vertical ? Coefficients.of(image.height(), height) : null;

        byte[] pixels = image.rgb();
        int firstRow = 0;
        if (horizontal) {
            // Like Pillow, filter only the source rows the vertical pass will read.
            int endRow = image.height();
            if (vertical) {
                firstRow = rows.start(0);
                endRow = rows.start(height - 1) + rows.count(height - 1);
            }
            pixels = horizontalPass(pixels, image.width(), firstRow, endRow, columns);
            if (!vertical) {
                return new RgbImage(width, height, pixels);
            }
        }
        return new RgbImage(width, height, verticalPass(pixels, width, firstRow, rows));
    }

    private static byte[] horizontalPass(byte[] in, int inWidth, int firstRow, int endRow, Coefficients columns) {
        int outWidth = columns.outSize();
        byte[] out = new byte[(endRow - firstRow) * outWidth * 3];
        int[] weights = columns.weights();
        int taps = columns.stride();
        int o = 0;
        for (int y = firstRow; y < endRow; y++) {
            int rowStart = y * inWidth;
            for (int x = 0; x < outWidth; x++) {
                int i = (rowStart + columns.start(x)) * 3;
                int w = x * taps;
                int r = ROUNDING;
                int g = ROUNDING;
                int b = ROUNDING;
                for (int k = columns.count(x); k > 0; k--, w++, i += 3) {
                    int weight = weights[w];
                    r += (in[i] & 0xFF) * weight;
                    g += (in[i + 1] & 0xFF) * weight;
                    b += (in[i + 2] & 0xFF) * weight;
                }
                out[o++] = clip8(r);
                out[o++] = clip8(g);
                out[o++] = clip8(b);
            }
        }
        return out;
    }

    /** {@code in} holds rows {@code firstRow…} of the source; the sums are the same in any order (int). */
    private static byte[] verticalPass(byte[] in, int width, int firstRow, Coefficients rows) {
        int rowLength = width * 3;
        byte[] out = new byte[rows.outSize() * rowLength];
        int[] weights = rows.weights();
        int[] sums = new int[rowLength];
        for (int y = 0; y < rows.outSize(); y++) {
            Arrays.fill(sums, ROUNDING);
            int source = (rows.start(y) - firstRow) * rowLength;
            int w = y * rows.stride();
            for (int k = rows.count(y); k > 0; k--, w++, source += rowLength) {
                int weight = weights[w];
                for (int i = 0; i < rowLength; i++) {
                    sums[i] += (in[source + i] & 0xFF) * weight;
                }
            }
            int o = y * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out[o + i] = clip8(sums[i]);
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        if (sum >= 1 << (PRECISION_BITS + 8)) {
            return (byte) 255;
        }
        if (sum <= 0) {
            return 0;
        }
        return (byte) (sum >> PRECISION_BITS);
    }

    /**
     * Fixed-point filter taps of one axis: output index i reads {@code count(i)} source pixels from
     * {@code start(i)} with weights {@code weights[i·stride …]}.
     */
    record Coefficients(int outSize, int stride, int[] bounds, int[] weights) {

        int start(int i) {
            return bounds[2 * i];
        }

        int count(int i) {
            return bounds[2 * i + 1];
        }

        /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}, same operations in the same order. */
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the bilinear filter's support is 1
            int stride = (int) Math.ceil(support) * 2 + 1;
            double reciprocal = 1.0 / filterScale; // Pillow multiplies by the reciprocal; keep it for exactness
            int[] bounds = new int[2 * outSize];
            int[] weights = new int[outSize * stride];
            double[] taps = new double[stride];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int count = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0.0;
                for (int k = 0; k < count; k++) {
                    double t = triangle((k + min - center + 0.5) * reciprocal);
                    taps[k] = t;
                    total += t;
                }
                for (int k = 0; k < count; k++) {
                    double t = total != 0.0 ? taps[k] / total : taps[k];
                    weights[i * stride + k] = (int) (t < 0 ? -0.5 + t * (1 << PRECISION_BITS)
                            : 0.5 + t * (1 << PRECISION_BITS));
                }
                bounds[2 * i] = min;
                bounds[2 * i + 1] = count;
            }
            return new Coefficients(outSize, stride, bounds, weights);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
