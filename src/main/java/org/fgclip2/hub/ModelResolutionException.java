package org.fgclip2.hub;

/** The {@code --model} argument does not lead to a usable checkpoint folder; the message says why and what to do. */
public class ModelResolutionException extends RuntimeException {
    public ModelResolutionException(String message) {
        super(message);
    }

    public ModelResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
