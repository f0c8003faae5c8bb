package org.fgclip2.inference;

/** The device asked for is not there on this host (a GPU without CUDA): a choice the user must change. */
public class DeviceUnavailableException extends RuntimeException {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
