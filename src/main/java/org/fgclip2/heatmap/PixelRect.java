package org.fgclip2.heatmap;

/**
 * A rectangle of pixels of the original image: {@code x1 ≤ x < x2}, {@code y1 ≤ y < y2} (ends exclusive). The
 * topology publishes it as the Avro {@code PixelBox}.
 */
public record PixelRect(int x1, int y1, int x2, int y2) {

    public PixelRect {
        if (x1 < 0 || y1 < 0 || x2 <= x1 || y2 <= y1) {
            throw new IllegalArgumentException("not a box: (" + x1 + ", " + y1 + ") to (" + x2 + ", " + y2 + ")");
        }
    }

    public int width() {
        return x2 - x1;
    }

    public int height() {
        return y2 - y1;
    }
}
