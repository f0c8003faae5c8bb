package org.fgclip2.hub;

/**
 * Hears how file downloads advance; every method does nothing unless overridden. Called from the downloading
 * thread, one file at a time. Files already in the cache cause no calls.
 */
public interface DownloadProgress {

    /**
     * A file's download begins.
     *
     * @param file        the file's name in the repository
     * @param totalBytes  its size, or -1 when unknown
     * @param resumedFrom bytes already on disk from an interrupted download, 0 for a fresh one
     */
    default void started(String file, long totalBytes, long resumedFrom) {
    }

    /** Bytes of the file on disk so far; may go back to a smaller number when a server forces a restart. */
    default void advanced(String file, long bytesDone) {
    }

    /** A request failed in a way worth trying again; try {@code attempt} of {@code maxAttempts} comes next. */
    default void retrying(String file, int attempt, int maxAttempts, String reason) {
    }

    /** The file is complete and verified. */
    default void finished(String file) {
    }

    /**
     * Reports on standard error: an updating one-line bar per file when the console is a terminal, otherwise (a log
     * file, a container's log) a line every 5 s or 10 %.
     */
    static DownloadProgress toStderr() {
        return new ConsoleProgress(System.err, Terminal.isInteractive(), System::nanoTime);
    }
}
