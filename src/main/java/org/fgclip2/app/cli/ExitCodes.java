package org.fgclip2.app.cli;

/** What a command's exit status tells scripts and container runtimes. */
public final class ExitCodes {

    /** A bug, or a failure the instance could not recover from: the message says which. */
    public static final int INTERNAL = 1;

    /** Something a person must fix in what they gave, or in what the instance needs around it. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
