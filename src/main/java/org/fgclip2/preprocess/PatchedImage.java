package org.fgclip2.preprocess;

/**
 * One preprocessed image, unpadded: {@code grid.patchCount()} patch vectors of {@code patchDim} floats each
 * ({@code [h·w, C·p·p]} row-major, patches in row-major grid order, values in (py, px, channel) order inside a
 * patch), plus the size of the image before resizing (needed to map region boxes onto the grid).
 *
 * <p>The array is shared, not copied: do not modify it.
 */
public record PatchedImage(PatchGrid grid, int patchDim, float[] patches, int originalWidth, int originalHeight) {

    public PatchedImage {
        if (patchDim <= 0) {
            throw new IllegalArgumentException("patch dimension must be positive, got " + patchDim);
        }
        if (patches == null || patches.length != (long) grid.patchCount() * patchDim) {
            throw new IllegalArgumentException("a " + grid.height() + "x" + grid.width() + " grid of " + patchDim
                    + "-float patches needs " + (long) grid.patchCount() * patchDim + " floats, got "
                    + (patches == null ? "null" : patches.length));
        }
        if (originalWidth <= 0 || originalHeight <= 0) {
            throw new IllegalArgumentException("original size must be positive, got "
                    + originalWidth + "x" + originalHeight);
        }
    }

    public int patchCount() {
        return grid.patchCount();
    }

    @Override
    public String toString() {
        return "PatchedImage[" + grid.height() + "x" + grid.width() + " patches of " + patchDim + ", original "
                + originalWidth + "x" + originalHeight + "]";
    }
}
