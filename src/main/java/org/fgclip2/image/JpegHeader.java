package org.fgclip2.image;

/**
 * What a JPEG's markers say about its colour encoding, read the way libjpeg reads them (the decoder behind
 * Pillow), because the decoder takes the samples raw and converts them itself.
 *
 * @param jfif           a JFIF APP0 marker is present
 * @param adobeTransform the Adobe APP14 transform byte (0 none, 1 YCbCr, 2 YCCK), or -1 without that marker
 * @param componentIds   the component identifiers of the frame header, one per component
 */
record JpegHeader(boolean jfif, int adobeTransform, int[] componentIds) {

    /** How the stored components are to be turned into RGB. */
    enum Encoding { GREY, YCBCR, RGB, CMYK, YCCK }

    static JpegHeader parse(byte[] jpeg) {
        boolean[] jfif = {false};
        int[] adobe = {-1};
        int[][] ids = {new int[0]};
        JpegSegments.walk(jpeg, (marker, start, end) -> {
            if (marker == JpegSegments.APP0 && end - start >= 5 && startsWith(jpeg, start, "JFIF\0")) {
                jfif[0] = true;
            } else if (marker == JpegSegments.APP14 && end - start >= 12 && startsWith(jpeg, start, "Adobe")) {
                adobe[0] = jpeg[start + 11] & 0xFF;
            } else if (isFrameHeader(marker) && end - start >= 6) {
                int count = jpeg[start + 5] & 0xFF;
                int[] componentIds = new int[count];
                for (int i = 0; i < count && start + 6 + 3 * i < end; i++) {
                    componentIds[i] = jpeg[start + 6 + 3 * i] & 0xFF;
                }
                ids[0] = componentIds;
                return false; // JFIF and Adobe markers come before the frame
            }
            return true;
        });
        return new JpegHeader(jfif[0], adobe[0], ids[0]);
    }

    /** libjpeg's {@code default_decompress_parms} guess of the colour space. */
    Encoding encoding() {
        switch (componentIds.length) {
            case 1:
                return Encoding.GREY;
            case 3:
                if (jfif) {
                    return Encoding.YCBCR;
                }
                if (adobeTransform >= 0) {
                    return adobeTransform == 0 ? Encoding.RGB : Encoding.YCBCR;
                }
                return componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B'
                        ? Encoding.RGB : Encoding.YCBCR;
            case 4:
                return adobeTransform > 0 ? Encoding.YCCK : Encoding.CMYK;
            default:
                throw new ImageDecodeException("JPEG with " + componentIds.length
                        + " colour components is not supported (only 1, 3 or 4)");
        }
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] data, int offset, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (data[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
