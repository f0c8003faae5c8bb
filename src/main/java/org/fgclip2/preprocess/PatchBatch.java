package org.fgclip2.preprocess;

import java.util.List;

/**
 * Images padded to a common patch count, laid out like the official processor's output: {@code pixelValues}
 * {@code [B, N, C·p·p]} float32 (padded rows are zero) and {@code spatialShapes} {@code [B, 2]} = (h, w) per image,
 * both row-major. The official {@code pixel_attention_mask} is not kept: an image's real patches are its first
 * h·w rows, which is all the model needs to mask the padding.
 */
public record PatchBatch(int batchSize, int length, int patchDim,
                         float[] pixelValues, long[] spatialShapes) {

    public PatchBatch {
        if (pixelValues.length != (long) batchSize * length * patchDim
                || spatialShapes.length != 2L * batchSize) {
            throw new IllegalArgumentException("arrays do not match [" + batchSize + ", " + length + ", " + patchDim
                    + "]: " + pixelValues.length + " values, "
                    + spatialShapes.length + " shape entries");
        }
    }

    /**
     * Pads the images to {@code length} patches each. The official code pads to the budget it resized against
     * ({@code max_num_patches} or the dynamic bucket); any length at least the largest patch count gives the same
     * model outputs for the real patches.
     *
     * @throws IllegalArgumentException if the list is empty, an image has more than {@code length} patches, or
     *                                  the images have different patch sizes
     */
    public static PatchBatch pad(List<PatchedImage> images, int length) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot batch an empty list of images");
        }
        int patchDim = images.get(0).patchDim();
        for (PatchedImage image : images) {
            if (image.patchDim() != patchDim) {
                throw new IllegalArgumentException("images have different patch sizes: " + patchDim + " and "
                        + image.patchDim() + " floats per patch");
            }
            if (image.patchCount() > length) {
                throw new IllegalArgumentException(image + " has " + image.patchCount()
                        + " patches, more than the padded length " + length);
            }
        }
        int batch = images.size();
        float[] pixels = new float[Math.multiplyExact(Math.multiplyExact(batch, length), patchDim)];
        long[] shapes = new long[batch * 2];
        for (int b = 0; b < batch; b++) {
            PatchedImage image = images.get(b);
            System.arraycopy(image.patches(), 0, pixels, b * length * patchDim, image.patches().length);
            shapes[2 * b] = image.grid().height();
            shapes[2 * b + 1] = image.grid().width();
        }
        return new PatchBatch(batch, length, patchDim, pixels, shapes);
    }

    /** Pads to the largest patch count of the images (the shortest batch that holds them all). */
    public static PatchBatch pad(List<PatchedImage> images) {
        return pad(images, images.stream().mapToInt(PatchedImage::patchCount).max().orElse(0));
    }
}
