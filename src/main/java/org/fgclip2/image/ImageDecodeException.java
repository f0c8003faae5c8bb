package org.fgclip2.image;

/**
 * Encoded image bytes that cannot be turned into an {@link RgbImage}: empty, not a supported format, corrupt,
 * truncated, or above the configured {@link ImageLimits}. The message says which and why. Unchecked, so that
 * stream processors can route the record to an error path in one place.
 */
public class ImageDecodeException extends RuntimeException {

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
