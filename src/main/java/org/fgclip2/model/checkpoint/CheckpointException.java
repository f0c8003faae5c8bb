package org.fgclip2.model.checkpoint;

/** A checkpoint file or folder that cannot be used as it is; the message says what is wrong. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
