package org.fgclip2.image;

/** The one PNG header fact {@link RgbConversion} needs and ImageIO hides once tRNS has added an alpha channel. */
final class PngHeader {

    private static final int IHDR_DATA = 16;
    private static final int GREY = 0;

    private PngHeader() {
    }

    /** Whether the IHDR says 16-bit greyscale (colour type 0, which Pillow opens as mode "I" and clips). */
    static boolean isSixteenBitGrey(byte[] png) {
        return png.length >= IHDR_DATA + 10
                && png[12] == 'I' && png[13] == 'H' && png[14] == 'D' && png[15] == 'R'
                && png[IHDR_DATA + 8] == 16 && png[IHDR_DATA + 9] == GREY;
    }
}
