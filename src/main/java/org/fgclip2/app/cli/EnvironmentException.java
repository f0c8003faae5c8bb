package org.fgclip2.app.cli;

/**
 * Something this instance needs from its surroundings is missing or unusable: the brokers, the schema registry,
 * its topics, its state directory. Like bad input it needs a person, not a restart: the CLI exits with status 2.
 */
public class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
