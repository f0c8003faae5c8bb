package org.fgclip2.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Download progress as text: on a terminal one line per file redrawn in place (bar, bytes, %, speed, ETA); in a log
 * a plain line at start, every 10 % or 5 s, and at the end, so logs stay short and greppable.
 */
final class ConsoleProgress implements DownloadProgress {

    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;

    // the file being downloaded
    private long totalBytes;
    private long baselineBytes;
    private long baselineNanos;
    private long startNanos;
    private long lastPrintNanos;
    private long lastPrintedTenth;
    private long bytesDone;
    private int drawnWidth;

    ConsoleProgress(PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void started(String file, long totalBytes, long resumedFrom) {
        this.totalBytes = totalBytes;
        this.bytesDone = resumedFrom;
        this.baselineBytes = resumedFrom;
        this.startNanos = nanoClock.getAsLong();
        this.baselineNanos = startNanos;
        this.lastPrintNanos = startNanos;
        this.lastPrintedTenth = tenth(resumedFrom);
        this.drawnWidth = 0;
        if (terminal) {
            redraw(file);
        } else {
            out.println("Downloading " + file + " (" + bytes(totalBytes)
                    + (resumedFrom > 0 ? ", resuming at " + bytes(resumedFrom) : "") + ")");
        }
    }

    @Override
    public synchronized void advanced(String file, long bytesDone) {
        long now = nanoClock.getAsLong();
        if (bytesDone < this.bytesDone) { // the server made us start over: measure speed afresh
            baselineBytes = bytesDone;
            baselineNanos = now;
            lastPrintedTenth = tenth(bytesDone);
        }
        this.bytesDone = bytesDone;
        if (terminal) {
            if (now - lastPrintNanos >= REDRAW_NANOS) {
                lastPrintNanos = now;
                redraw(file);
            }
        } else if (tenth(bytesDone) > lastPrintedTenth || now - lastPrintNanos >= LOG_EVERY_NANOS) {
            lastPrintNanos = now;
            lastPrintedTenth = tenth(bytesDone);
            out.println(file + ": " + status(now));
        }
    }

    @Override
    public synchronized void retrying(String file, int attempt, int maxAttempts, String reason) {
        if (terminal && drawnWidth > 0) {
            out.println();
            drawnWidth = 0;
        }
        out.println(file + ": " + reason + "; trying again (" + attempt + " of " + maxAttempts + ")");
    }

    @Override
    public synchronized void finished(String file) {
        long now = nanoClock.getAsLong();
        if (terminal) {
            redraw(file);
            out.println();
        } else {
            double seconds = (now - startNanos) / 1e9;
            out.println(file + ": done, " + bytes(bytesDone) + " in " + String.format(Locale.ROOT, "%.1f s", seconds));
        }
    }

    private void redraw(String file) {
        String line = file + "  " + bar() + "  " + status(nanoClock.getAsLong());
        // pad over what the previous, longer line left behind
        out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        out.flush();
        drawnWidth = line.length();
    }

    private String bar() {
        if (totalBytes <= 0) {
            return "";
        }
        int filled = (int) (BAR_WIDTH * Math.min(1.0, (double) bytesDone / totalBytes));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private String status(long now) {
        StringBuilder s = new StringBuilder(bytes(bytesDone));
        if (totalBytes > 0) {
            s.append(" / ").append(bytes(totalBytes))
                    .append(String.format(Locale.ROOT, " (%d%%)", 100 * bytesDone / totalBytes));
        }
        double seconds = (now - baselineNanos) / 1e9;
        if (seconds > 0 && bytesDone > baselineBytes) {
            double perSecond = (bytesDone - baselineBytes) / seconds;
            s.append(", ").append(bytes((long) perSecond)).append("/s");
            if (totalBytes > 0 && bytesDone < totalBytes) {
                s.append(", ETA ").append(duration((long) ((totalBytes - bytesDone) / perSecond)));
            }
        }
        return s.toString();
    }

    private long tenth(long done) {
        return totalBytes > 0 ? 10 * done / totalBytes : 0;
    }

    /** Decimal units, as the hub's web pages and {@code huggingface-cli} show sizes. */
    static String bytes(long n) {
        if (n < 0) {
            return "size unknown";
        }
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
