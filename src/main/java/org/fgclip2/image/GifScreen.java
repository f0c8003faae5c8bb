package org.fgclip2.image;

import java.awt.image.IndexColorModel;

/**
 * Where a GIF's first frame lies on its logical screen. Pillow returns the whole screen (grown to hold the frame
 * if the frame sticks out), the area the frame does not cover filled with the frame's transparent index or else
 * index 0 (not the background index); ImageIO returns the frame's rectangle alone.
 *
 * @param width     canvas width: the logical screen, widened to the frame if needed
 * @param height    canvas height, likewise
 * @param frameLeft frame position on the canvas
 * @param frameTop  frame position on the canvas
 */
record GifScreen(int width, int height, int frameLeft, int frameTop) {

    private static final int HEADER = 13;

    /** Reads the logical screen descriptor and the first image descriptor. */
    static GifScreen parse(byte[] gif) {
        int screenWidth = u16(gif, 6);
        int screenHeight = u16(gif, 8);
        int flags = gif[10] & 0xFF;
        int p = HEADER + ((flags & 0x80) != 0 ? 3 * (2 << (flags & 7)) : 0);
        while (p < gif.length && (gif[p] & 0xFF) == 0x21) { // extension: label, then data sub-blocks
            p += 2;
            while (p < gif.length && gif[p] != 0) {
                p += (gif[p] & 0xFF) + 1;
            }
            p++;
        }
        if (p + 9 > gif.length || (gif[p] & 0xFF) != 0x2C) {
            throw new ImageDecodeException("GIF data is corrupt: no image descriptor after the header");
        }
        int left = u16(gif, p + 1);
        int top = u16(gif, p + 3);
        int frameWidth = u16(gif, p + 5);
        int frameHeight = u16(gif, p + 7);
        return new GifScreen(Math.max(screenWidth, left + frameWidth), Math.max(screenHeight, top + frameHeight),
                left, top);
    }

    /** The decoded first frame placed on the canvas, as Pillow shows it. */
    RgbImage place(RgbImage frame, IndexColorModel palette) {
        if (frameLeft == 0 && frameTop == 0 && frame.width() == width && frame.height() == height) {
            return frame;
        }
        int fill = palette.getTransparentPixel() >= 0 ? palette.getTransparentPixel() : 0;
        byte red = (byte) palette.getRed(fill);
        byte green = (byte) palette.getGreen(fill);
        byte blue = (byte) palette.getBlue(fill);
        byte[] canvas = new byte[Math.multiplyExact(3, Math.multiplyExact(width, height))];
        for (int i = 0; i < canvas.length; i += 3) {
            canvas[i] = red;
            canvas[i + 1] = green;
            canvas[i + 2] = blue;
        }
        int rowBytes = frame.width() * 3;
        for (int y = 0; y < frame.height(); y++) {
            System.arraycopy(frame.rgb(), y * rowBytes, canvas, ((frameTop + y) * width + frameLeft) * 3, rowBytes);
        }
        return new RgbImage(width, height, canvas);
    }

    private static int u16(byte[] d, int p) {
        return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8;
    }
}
