package org.fgclip2.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image: the uint8 {@code H×W×3} array the official preprocessing works on, stored row-major with
 * interleaved channels ({@code rgb[(y·width + x)·3 + c]}, c = 0 red, 1 green, 2 blue; read bytes with
 * {@code & 0xFF}).
 *
 * <p>The array is shared, not copied, for speed: do not modify it after construction. Equality compares the
 * pixels.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb == null) {
            throw new IllegalArgumentException("pixel array is null");
        }
        long expected = 3L * width * height;
        if (rgb.length != expected) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + expected
                    + " bytes, got " + rgb.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
