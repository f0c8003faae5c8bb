package org.fgclip2.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The encoded formats {@link ImageDecoder} reads, recognised by their leading bytes. */
enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    GIF("gif"),
    BMP("bmp"),
    WEBP("webp");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The ImageIO format name. */
    String imageIoName() {
        return imageIoName;
    }

    static Optional<ImageFormat> detect(byte[] data) {
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8') && (startsWith(data, 4, '7', 'a') || startsWith(data, 4, '9', 'a'))) {
            return Optional.of(GIF);
        }
        if (startsWith(data, 0, 'B', 'M') && data.length >= 26) {
            return Optional.of(BMP);
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** A hint for the error message when the bytes are a known format this decoder does not read. */
    static String describeUnknown(byte[] data) {
        if (startsWith(data, 0, 'I', 'I', 0x2A, 0x00) || startsWith(data, 0, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF, which is not supported";
        }
        if (startsWith(data, 4, 'f', 't', 'y', 'p') && data.length >= 12) {
            String brand = new String(data, 8, 4, StandardCharsets.US_ASCII);
            return "an ISO media file (brand '" + brand + "', e.g. HEIC or AVIF), which is not supported";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(data.length, 8); i++) {
            hex.append(String.format("%02x ", data[i] & 0xFF));
        }
        return "not a recognised image (first bytes " + hex.toString().trim() + ")";
    }

    private static boolean startsWith(byte[] data, int offset, int... expected) {
        if (data.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((data[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
