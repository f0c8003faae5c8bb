package org.fgclip2.inference;

import java.util.Arrays;

/**
 * Region features as the official {@code get_image_region_features} computes them (modeling_fgclip2.py):
 * torchvision {@code roi_align(output_size=(1, 1), spatial_scale=1, sampling_ratio=-1, aligned=True)} over an
 * image's (h, w, D) dense feature map, boxes given in original-image pixels. Plain Java: a box pools a few dozen
 * cells, far less work than a trip to the device.
 */
public final class RegionAlign {
    private RegionAlign() {
    }

    /**
     * @param denseMap row-major [h·w, D] dense features of the image's real patches
     * @param box {x1, y1, x2, y2} in original pixels
     * @param imageWidth original width W
     * @param imageHeight original height H
     * @return the pooled [D] feature (not normalised)
     * @throws IllegalArgumentException for a box {@link #problem} refuses
     */
    public static float[] pool(float[] denseMap, int h, int w, int dim, double[] box, int imageWidth, int imageHeight) {
        String problem = problem(box, imageWidth, imageHeight);
        if (problem != null) {
            throw new IllegalArgumentException("region box " + Arrays.toString(box) + ": " + problem);
        }
        // Box to feature-map coordinates in double, stored as float32 as the official code does, then the
        // aligned=True half-pixel shift.
        float x1 = (float) (box[0] / imageWidth * w) - 0.5f;
        float y1 = (float) (box[1] / imageHeight * h) - 0.5f;
        float x2 = (float) (box[2] / imageWidth * w) - 0.5f;
        float y2 = (float) (box[3] / imageHeight * h) - 0.5f;
        float roiW = x2 - x1;
        float roiH = y2 - y1;
        int gridH = (int) Math.ceil(roiH);
        int gridW = (int) Math.ceil(roiW);
        float binH = roiH / gridH;
        float binW = roiW / gridW;
        int count = Math.max(gridH * gridW, 1);
        double[] sum = new double[dim];
        for (int iy = 0; iy < gridH; iy++) {
            float y = y1 + (iy + 0.5f) * binH;
            for (int ix = 0; ix < gridW; ix++) {
                float x = x1 + (ix + 0.5f) * binW;
                addBilinear(denseMap, h, w, dim, y, x, sum);
            }
        }
        float[] out = new float[dim];
        for (int c = 0; c < dim; c++) {
            out[c] = (float) (sum[c] / count);
        }
        return out;
    }

    /**
     * Why a box cannot be pooled, or null. The official code would pool a box outside the image (mostly zeros) or
     * one without area (NaN-free but meaningless); here they are refused so that a caller's bug gets a reason, not a
     * score. Boxes are not clipped.
     *
     * @param box {x1, y1, x2, y2} in original pixels
     */
    public static String problem(double[] box, int imageWidth, int imageHeight) {
        for (double v : box) {
            if (!Double.isFinite(v)) {
                return "the box has a coordinate that is not a finite number";
            }
        }
        if (!(box[2] > box[0] && box[3] > box[1])) {
            return "the box has no area: x2 must exceed x1 and y2 must exceed y1";
        }
        if (box[0] < 0 || box[1] < 0 || box[2] > imageWidth || box[3] > imageHeight) {
            return "the box reaches outside the " + imageWidth + "x" + imageHeight + " image (coordinates are"
                    + " pixels of the image as decoded, 0 <= x1 < x2 <= width, 0 <= y1 < y2 <= height)";
        }
        return null;
    }

    /** torchvision's bilinear sample: zero beyond one cell outside the map, clamped to the border otherwise. */
    private static void addBilinear(float[] map, int h, int w, int dim, float y, float x, double[] sum) {
        if (y < -1f || y > h || x < -1f || x > w) {
            return;
        }
        y = Math.max(y, 0f);
        x = Math.max(x, 0f);
        int yLo = (int) y;
        int xLo = (int) x;
        int yHi;
        int xHi;
        if (yLo >= h - 1) {
            yLo = yHi = h - 1;
            y = yLo;
        } else {
            yHi = yLo + 1;
        }
        if (xLo >= w - 1) {
            xLo = xHi = w - 1;
            x = xLo;
        } else {
            xHi = xLo + 1;
        }
        float ly = y - yLo;
        float lx = x - xLo;
        float hy = 1f - ly;
        float hx = 1f - lx;
        float w1 = hy * hx;
        float w2 = hy * lx;
        float w3 = ly * hx;
        float w4 = ly * lx;
        int r1 = (yLo * w + xLo) * dim;
        int r2 = (yLo * w + xHi) * dim;
        int r3 = (yHi * w + xLo) * dim;
        int r4 = (yHi * w + xHi) * dim;
        for (int c = 0; c < dim; c++) {
            sum[c] += w1 * map[r1 + c] + w2 * map[r2 + c] + w3 * map[r3 + c] + w4 * map[r4 + c];
        }
    }
}
