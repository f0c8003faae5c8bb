package org.fgclip2.image;

import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation tag (0x0112) of an encoded image and the transform that makes the pixels upright, as
 * Pillow's {@code ImageOps.exif_transpose}: 2 mirror left-right, 3 rotate 180°, 4 mirror top-bottom,
 * 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise; 1, a missing tag or
 * unreadable EXIF data leave the image as it is.
 *
 * <p>The EXIF block is found in a JPEG APP1 segment, a PNG {@code eXIf} chunk or a WebP {@code EXIF} chunk; only
 * the segment/chunk headers are walked, never the pixel data.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    /** The orientation tag, 1..8, or {@link #UPRIGHT} when there is none or it cannot be read. */
    static int read(byte[] data, ImageFormat format) {
        try {
            return switch (format) {
                case JPEG -> fromJpeg(data);
                case PNG -> fromPng(data);
                case WEBP -> fromWebp(data);
                case GIF, BMP -> UPRIGHT;
            };
        } catch (IndexOutOfBoundsException malformed) {
            return UPRIGHT; // a broken EXIF block is ignored, not a reason to reject the picture
        }
    }

    /** The image turned upright for this orientation tag. */
    static RgbImage apply(RgbImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swap = orientation >= 5;
        int outWidth = swap ? h : w;
        int outHeight = swap ? w : h;
        byte[] in = image.rgb();
        byte[] out = new byte[in.length];
        int o = 0;
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                int i = (sy * w + sx) * 3;
                out[o++] = in[i];
                out[o++] = in[i + 1];
                out[o++] = in[i + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }

    private static int fromJpeg(byte[] d) {
        int[] orientation = {UPRIGHT};
        JpegSegments.walk(d, (marker, start, end) -> {
            if (marker == JpegSegments.APP1 && ascii(d, start, 6).equals("Exif\0\0")) {
                orientation[0] = fromTiff(d, start + 6, end);
                return false;
            }
            return true;
        });
        return orientation[0];
    }

    private static int fromPng(byte[] d) {
        int p = 8;
        while (p + 8 <= d.length) {
            int length = (int) Math.min(u32(d, p, false), d.length);
            String type = ascii(d, p + 4, 4);
            if (type.equals("eXIf")) {
                return fromTiff(d, withoutExifPrefix(d, p + 8), p + 8 + length);
            }
            if (type.equals("IEND")) {
                return UPRIGHT;
            }
            p += 12 + length;
        }
        return UPRIGHT;
    }

    private static int fromWebp(byte[] d) {
        int p = 12;
        while (p + 8 <= d.length) {
            int length = (int) Math.min(u32(d, p + 4, true), d.length);
            if (ascii(d, p, 4).equals("EXIF")) {
                return fromTiff(d, withoutExifPrefix(d, p + 8), p + 8 + length);
            }
            p += 8 + length + (length & 1);
        }
        return UPRIGHT;
    }

    /** Some writers keep the JPEG-style "Exif\0\0" header inside PNG and WebP chunks too. */
    private static int withoutExifPrefix(byte[] d, int p) {
        return p + 6 <= d.length && ascii(d, p, 6).equals("Exif\0\0") ? p + 6 : p;
    }

    /** Looks the tag up in IFD0 of the TIFF structure at {@code start} (ending before {@code end}). */
    private static int fromTiff(byte[] d, int start, int end) {
        String order = ascii(d, start, 2);
        boolean little;
        if (order.equals("II")) {
            little = true;
        } else if (order.equals("MM")) {
            little = false;
        } else {
            return UPRIGHT;
        }
        long ifd = start + u32(d, start + 4, little);
        int entries = u16(d, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return UPRIGHT;
            }
            if (u16(d, entry, little) == ORIENTATION_TAG && u16(d, entry + 2, little) == TYPE_SHORT) {
                int value = u16(d, entry + 8, little);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    private static String ascii(byte[] d, int p, int n) {
        if (p < 0 || p + n > d.length) {
            return "";
        }
        return new String(d, p, n, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] d, int p, boolean little) {
        int a = d[p] & 0xFF;
        int b = d[p + 1] & 0xFF;
        return little ? a | b << 8 : a << 8 | b;
    }

    private static long u32(byte[] d, int p, boolean little) {
        long hi = u16(d, little ? p + 2 : p, little);
        long lo = u16(d, little ? p : p + 2, little);
        return hi << 16 | lo;
    }
}
