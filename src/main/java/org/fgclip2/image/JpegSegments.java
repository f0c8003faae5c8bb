package org.fgclip2.image;

/** Walks the marker segments of a JPEG file up to its first scan (EXIF block, JFIF/Adobe markers, frame header). */
final class JpegSegments {

    static final int APP0 = 0xE0;
    static final int APP1 = 0xE1;
    static final int APP14 = 0xEE;

    /** Receives each segment's marker and payload bounds; returns false to stop the walk. */
    interface Visitor {
        boolean visit(int marker, int payloadStart, int payloadEnd);
    }

    private JpegSegments() {
    }

    static void walk(byte[] d, Visitor visitor) {
        int p = 2;
        while (p + 4 <= d.length) {
            if ((d[p] & 0xFF) != 0xFF) {
                return;
            }
            int marker = d[p + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                p++;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) { // end of image, start of scan
                return;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
                p += 2;
                continue;
            }
            int length = (d[p + 2] & 0xFF) << 8 | (d[p + 3] & 0xFF);
            int end = Math.min(p + 2 + length, d.length);
            if (!visitor.visit(marker, p + 4, end)) {
                return;
            }
            p += 2 + Math.max(length, 2);
        }
    }
}
