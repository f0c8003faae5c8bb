package org.fgclip2.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * A decoded {@link BufferedImage} to RGB the way Pillow's {@code Image.convert("RGB")} does it: the stored
 * samples, never colour-managed (an embedded ICC profile is ignored, as Pillow does) and never composited
 * (alpha is dropped, the colour of transparent pixels is kept); grey replicated; palettes expanded; 16-bit
 * samples cut to their high byte, except 16-bit greyscale, which Pillow holds as 32-bit integers and clips to
 * 0..255. {@code getRGB()} is not used because it colour-converts (Java's grey is linear, so it would brighten
 * every grey image). JPEGs take their own path, {@link JpegColor}.
 */
final class RgbConversion {

    private RgbConversion() {
    }

    /**
     * @param clipWideGrey the samples are 16-bit greyscale that Pillow clips rather than scales (PNG colour
     *                     type 0, depth 16)
     */
    static RgbImage toRgb(BufferedImage image, boolean clipWideGrey) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(3, Math.multiplyExact(width, height))];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof IndexColorModel palette) {
            expandPalette(raster, palette, rgb);
        } else if (image.getColorModel() instanceof ComponentColorModel components) {
            int layout = layout(components);
            if (!copyBytes(raster, layout, rgb)) {
                copySamples(raster, layout, components.getComponentSize(), clipWideGrey, rgb);
            }
        } else if (image.getColorModel() instanceof DirectColorModel packed) {
            copyPacked(raster, packed.getComponentSize(), rgb);
        } else {
            throw new ImageDecodeException("unsupported colour model " + image.getColorModel().getClass().getName());
        }
        return new RgbImage(width, height, rgb);
    }

    /** The colour-space type (GRAY or RGB) of a model this class understands. */
    private static int layout(ComponentColorModel model) {
        int type = model.getColorSpace().getType();
        int colours = model.getNumColorComponents();
        boolean known = (type == ColorSpace.TYPE_GRAY && colours == 1)
                || (type == ColorSpace.TYPE_RGB && colours == 3);
        int transfer = model.getTransferType();
        if (!known || (transfer != DataBuffer.TYPE_BYTE && transfer != DataBuffer.TYPE_USHORT)) {
            throw new ImageDecodeException("unsupported pixel layout: colour space type " + type + " with "
                    + colours + " colour components, data type " + transfer);
        }
        return type;
    }

    private static void expandPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
        int size = palette.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.getReds(reds);
        palette.getGreens(greens);
        palette.getBlues(blues);
        int width = raster.getWidth();
        int[] row = new int[width];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                int index = row[x] < size ? row[x] : 0; // out-of-palette indices: ImageIO reads them as 0 too
                rgb[o++] = reds[index];
                rgb[o++] = greens[index];
                rgb[o++] = blues[index];
            }
        }
    }

    /** Fast path for interleaved 8-bit samples (JPEG, most PNGs, BMP, WebP): reads the bytes in place. */
    private static boolean copyBytes(Raster raster, int layout, byte[] rgb) {
        if (!(raster.getSampleModel() instanceof PixelInterleavedSampleModel model)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1
                || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        byte[] data = buffer.getData();
        int[] bands = model.getBandOffsets();
        int pixelStride = model.getPixelStride();
        int width = raster.getWidth();
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            int p = buffer.getOffset() + y * model.getScanlineStride();
            switch (layout) {
                case ColorSpace.TYPE_GRAY -> {
                    for (int x = 0; x < width; x++, p += pixelStride) {
                        byte v = data[p + bands[0]];
                        rgb[o++] = v;
                        rgb[o++] = v;
                        rgb[o++] = v;
                    }
                }
                default -> {
                    for (int x = 0; x < width; x++, p += pixelStride) {
                        rgb[o++] = data[p + bands[0]];
                        rgb[o++] = data[p + bands[1]];
                        rgb[o++] = data[p + bands[2]];
                    }
                }
            }
        }
        return true;
    }

    /** Any other component layout, through the raster's sample accessors. */
    private static void copySamples(Raster raster, int layout, int[] bits, boolean clipWideGrey, byte[] rgb) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        int[] row = new int[width * bands];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int p = 0; p < row.length; p += bands) {
                switch (layout) {
                    case ColorSpace.TYPE_GRAY -> {
                        int v = row[p];
                        byte grey = (byte) (bits[0] == 16 && clipWideGrey ? Math.min(v, 255) : to8Bits(v, bits[0]));
                        rgb[o++] = grey;
                        rgb[o++] = grey;
                        rgb[o++] = grey;
                    }
                    default -> {
                        rgb[o++] = (byte) to8Bits(row[p], bits[0]);
                        rgb[o++] = (byte) to8Bits(row[p + 1], bits[1]);
                        rgb[o++] = (byte) to8Bits(row[p + 2], bits[2]);
                    }
                }
            }
        }
    }

    /** Packed pixels (16-bit 5-6-5 BMP, 32-bit BMP): each field scaled to 0..255 rounding down, as Pillow does. */
    private static void copyPacked(Raster raster, int[] bits, byte[] rgb) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        int[] row = new int[width * bands];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int p = 0; p < row.length; p += bands) {
                rgb[o++] = (byte) scaleDown(row[p], bits[0]);
                rgb[o++] = (byte) scaleDown(row[p + 1], bits[1]);
                rgb[o++] = (byte) scaleDown(row[p + 2], bits[2]);
            }
        }
    }

    /** 16-bit samples keep their high byte (Pillow's {@code ;16B} raw modes). */
    private static int to8Bits(int sample, int bits) {
        return bits == 8 ? sample : bits == 16 ? sample >>> 8 : scaleDown(sample, bits);
    }

    private static int scaleDown(int sample, int bits) {
        return bits == 8 ? sample : sample * 255 / ((1 << bits) - 1);
    }
}
