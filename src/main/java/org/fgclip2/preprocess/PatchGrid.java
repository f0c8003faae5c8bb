package org.fgclip2.preprocess;

/**
 * The size of an image in patches after resizing: {@code height} rows × {@code width} columns (the official
 * {@code spatial_shapes} entry {@code (h, w)}); the resized image is {@code height·p × width·p} pixels.
 */
public record PatchGrid(int height, int width) {

    public PatchGrid {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("patch grid must be positive, got " + height + "x" + width);
        }
    }

    public int patchCount() {
        return height * width;
    }
}
