package org.fgclip2.model;

/**
 * One-axis weights of PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False, antialias=True)}: a
 * triangle filter whose support widens by the down-scale factor, so shrinking the learned position grid averages
 * neighbouring rows instead of skipping them (the case a plain bilinear resize gets wrong). Up-sampling reduces to
 * half-pixel bilinear with edge clamping; equal sizes give the identity.
 */
public final class PositionGridResize {
    private PositionGridResize() {
    }

    /** Row-major [out × in] matrix A with {@code resized = A · grid} along one axis. */
    public static float[] weights(int in, int out) {
        double scale = (double) in / out;
        double support = scale >= 1 ? scale : 1.0;
        double invScale = scale >= 1 ? 1.0 / scale : 1.0;
        float[] a = new float[out * in];
        for (int o = 0; o < out; o++) {
            double center = scale * (o + 0.5);
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            double[] w = new double[hi - lo];
            for (int k = lo; k < hi; k++) {
                w[k - lo] = Math.max(0.0, 1.0 - Math.abs((k - center + 0.5) * invScale));
                total += w[k - lo];
            }
            for (int k = lo; k < hi; k++) {
                a[o * in + k] = (float) (total == 0 ? 0 : w[k - lo] / total);
            }
        }
        return a;
    }
}
