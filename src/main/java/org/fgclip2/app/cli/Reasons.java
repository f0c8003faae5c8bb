package org.fgclip2.app.cli;

/**
 * The reason a failure gives, for one line an operator reads: many exceptions carry no message of their own (a
 * timed-out future, an HTTP client's refused connection), and "null" tells nobody what to do.
 */
public final class Reasons {
    private Reasons() {
    }

    /** The first message along the cause chain, else the exception's class name; never null or blank. */
    public static String of(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                return m;
            }
        }
        return t == null ? "unknown reason" : t.getClass().getSimpleName();
    }
}
