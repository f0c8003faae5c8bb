package org.fgclip2.hub;

import java.io.Console;

/** Whether progress can be redrawn in place (an interactive terminal) or must be printed as lines (a log, a pipe). */
public final class Terminal {

    private Terminal() {
    }

    /**
     * Whether the console is an interactive terminal. Java 22+ returns a {@code Console} also when output is
     * redirected and added {@code isTerminal()} to tell; older versions return none in that case.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22
        }
    }
}
