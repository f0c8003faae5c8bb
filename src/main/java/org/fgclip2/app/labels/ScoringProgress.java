package org.fgclip2.app.labels;

import java.io.PrintWriter;

/**
 * {@code scored 40/120 images} on stderr: redrawn in place on a terminal, else a line per tenth of the images, so
 * that a log or CI output stays short.
 */
final class ScoringProgress {

    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final int total;
    private final boolean terminal;
    private int printedTenth = -1;

    ScoringProgress(PrintWriter err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
    }

    void scored(int done) {
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (terminal) {
            int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] scored " + done + "/" + total
                    + " images" + (done == total ? System.lineSeparator() : ""));
            err.flush();
        } else if (tenth > printedTenth) {
            printedTenth = tenth;
            err.println("scored " + done + "/" + total + " images");
        }
    }
}
