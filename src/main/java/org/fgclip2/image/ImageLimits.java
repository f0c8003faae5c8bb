package org.fgclip2.image;

/**
 * Upper bounds {@link ImageDecoder} checks before it allocates anything for an image, so that a hostile or
 * broken input (a few-KB file declaring 30000×30000 pixels) fails at once instead of exhausting memory.
 *
 * <p>Decoding a {@code W×H} image briefly holds about {@code 7·W·H} bytes (the decoder's raster plus the RGB
 * array), e.g. ~0.7 GB at 100 megapixels; lower {@code maxPixels} for small heaps.
 *
 * @param maxEncodedBytes largest accepted input
 * @param maxPixels       largest accepted {@code width·height} as declared by the file header
 * @param maxSide         largest accepted width or height; {@link #MAX_SIDE} accepts every side a JPEG can declare
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels, int maxSide) {

    /** The most a JPEG header can declare. */
    public static final int MAX_SIDE = 65_535;
    /** An RGB image lives in one Java array: 3 bytes per pixel below {@code Integer.MAX_VALUE}. */
    private static final long ARRAY_PIXEL_LIMIT = (Integer.MAX_VALUE - 8) / 3;

    public ImageLimits {
        if (maxEncodedBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive, got " + maxEncodedBytes
                    + " bytes, " + maxPixels + " pixels, side " + maxSide);
        }
        if (maxPixels > ARRAY_PIXEL_LIMIT) {
            throw new IllegalArgumentException("maxPixels " + maxPixels + " is above " + ARRAY_PIXEL_LIMIT
                    + ", the most one Java array of RGB bytes can hold");
        }
    }
}
