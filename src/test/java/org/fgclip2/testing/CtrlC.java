package org.fgclip2.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends a child process what the terminal sends on Ctrl-C. A process started from a background job of a
 * non-interactive shell (a CI runner, {@code nohup ... &}) inherits SIGINT as ignored, and the JVM then installs no
 * handler for it: such a child could never see a Ctrl-C. For it, SIGTERM is sent instead, which the JVM turns into
 * the same shutdown (the same hooks run), and the choice is printed.
 */
public final class CtrlC {
    private static final int SIGINT = 2;

    private CtrlC() {
    }

    /** @return the signal sent, INT or TERM */
    public static String send(Process process) throws IOException, InterruptedException {
        String signal = ignoresSigint(process.pid()) ? "TERM" : "INT";
        if (!signal.equals("INT")) {
            System.err.println("child " + process.pid() + " ignores SIGINT (inherited from a background job): "
                    + "sending SIGTERM, which runs the same shutdown hooks");
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
        return signal;
    }

    private static boolean ignoresSigint(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (SIGINT - 1))) != 0;
            }
        }
        return false;
    }
}
