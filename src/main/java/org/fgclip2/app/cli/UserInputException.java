package org.fgclip2.app.cli;

/** Something the user gave on the command line or in a config file is wrong; the message says what. */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
