package org.fgclip2.model;

/** A {@code config.json} that does not describe a model this port can run; the message says why. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
