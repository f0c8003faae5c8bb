package org.fgclip2.image;

import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * The decoded, not yet colour-converted JPEG components to RGB as Pillow gets them: libjpeg's integer YCbCr
 * tables ({@code jdcolor.c}), and for CMYK/YCCK libjpeg's Adobe-inverted output, inverted back as Pillow's
 * {@code "CMYK;I"} raw mode does for every CMYK JPEG, then Pillow's {@code cmyk2rgb}. No ICC profile is applied
 * (Pillow applies none); this is why the decoder does not let TwelveMonkeys convert colours, which it does with
 * embedded profiles.
 */
final class JpegColor {

    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_TO_R = new int[256];
    private static final int[] CB_TO_B = new int[256];
    private static final int[] CR_TO_G = new int[256];
    private static final int[] CB_TO_G = new int[256];

    static {
        // libjpeg's build_ycc_rgb_table
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_TO_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_TO_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_TO_G[i] = -fix(0.71414) * x;
            CB_TO_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColor() {
    }

    static RgbImage toRgb(Raster raw, JpegHeader.Encoding encoding) {
        int bands = encoding == JpegHeader.Encoding.GREY ? 1
                : encoding == JpegHeader.Encoding.CMYK || encoding == JpegHeader.Encoding.YCCK ? 4 : 3;
        if (raw.getNumBands() != bands) {
            throw new ImageDecodeException("JPEG decoder returned " + raw.getNumBands() + " components for a "
                    + encoding + " image");
        }
        int width = raw.getWidth();
        int height = raw.getHeight();
        byte[] in = packedBytes(raw);
        byte[] rgb = new byte[Math.multiplyExact(3, Math.multiplyExact(width, height))];
        int pixels = width * height;
        switch (encoding) {
            case GREY -> {
                for (int i = 0, o = 0; i < pixels; i++) {
                    rgb[o++] = in[i];
                    rgb[o++] = in[i];
                    rgb[o++] = in[i];
                }
            }
            case RGB -> System.arraycopy(in, 0, rgb, 0, rgb.length);
            case YCBCR -> {
                for (int i = 0, p = 0; i < pixels; i++, p += 3) {
                    int y = in[p] & 0xFF;
                    int cb = in[p + 1] & 0xFF;
                    int cr = in[p + 2] & 0xFF;
                    rgb[p] = (byte) clamp(y + CR_TO_R[cr]);
                    rgb[p + 1] = (byte) clamp(y + ((CB_TO_G[cb] + CR_TO_G[cr]) >> SCALE_BITS));
                    rgb[p + 2] = (byte) clamp(y + CB_TO_B[cb]);
                }
            }
            default -> {
                boolean ycck = encoding == JpegHeader.Encoding.YCCK;
                for (int i = 0, p = 0, o = 0; i < pixels; i++, p += 4) {
                    int c = in[p] & 0xFF;
                    int m = in[p + 1] & 0xFF;
                    int ye = in[p + 2] & 0xFF;
                    if (ycck) { // libjpeg's ycck_cmyk_convert: 255 − (R, G, B) of the YCbCr triple
                        int luma = c;
                        int cb = m;
                        int cr = ye;
                        c = 255 - clamp(luma + CR_TO_R[cr]);
                        m = 255 - clamp(luma + ((CB_TO_G[cb] + CR_TO_G[cr]) >> SCALE_BITS));
                        ye = 255 - clamp(luma + CB_TO_B[cb]);
                    }
                    int notBlack = in[p + 3] & 0xFF; // inverted K = 255 − K
                    rgb[o++] = pillowCmykToRgb(255 - c, notBlack);
                    rgb[o++] = pillowCmykToRgb(255 - m, notBlack);
                    rgb[o++] = pillowCmykToRgb(255 - ye, notBlack);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** The samples as one tightly packed interleaved array, without copying when they already are. */
    private static byte[] packedBytes(Raster raw) {
        int bands = raw.getNumBands();
        int length = raw.getWidth() * raw.getHeight() * bands;
        if (raw.getSampleModel() instanceof PixelInterleavedSampleModel model
                && raw.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1 && buffer.getOffset() == 0 && buffer.getData().length == length
                && model.getPixelStride() == bands && model.getScanlineStride() == raw.getWidth() * bands
                && raw.getSampleModelTranslateX() == 0 && raw.getSampleModelTranslateY() == 0
                && inOrder(model.getBandOffsets())) {
            return buffer.getData();
        }
        int[] samples = raw.getPixels(raw.getMinX(), raw.getMinY(), raw.getWidth(), raw.getHeight(), (int[]) null);
        byte[] packed = new byte[length];
        for (int i = 0; i < length; i++) {
            packed[i] = (byte) samples[i];
        }
        return packed;
    }

    private static boolean inOrder(int[] offsets) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Pillow's {@code cmyk2rgb}: {@code nk − nk·ink/255} with its {@code MULDIV255} rounding, nk = 255 − K. */
    private static byte pillowCmykToRgb(int ink, int notBlack) {
        int t = ink * notBlack + 128;
        return (byte) clamp(notBlack - (((t >> 8) + t) >> 8));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }
}
