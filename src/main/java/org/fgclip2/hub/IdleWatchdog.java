package org.fgclip2.hub;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fgclip2.concurrent.DaemonThreads;

/**
 * Closes a response body that has sent nothing for too long. The JDK's HTTP client times out only the wait for
 * response headers; a body read could otherwise block forever on a connection that went silent.
 */
final class IdleWatchdog implements AutoCloseable {

    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("hub-download-watchdog"));

    private final long limitNanos;
    private final Closeable body;
    private final ScheduledFuture<?> check;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;

    IdleWatchdog(Duration limit, Closeable body) {
        this.limitNanos = limit.toNanos();
        this.body = body;
        long period = Math.max(10, limit.toMillis() / 4);
        this.check = TIMER.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** Bytes arrived. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the body was closed for being idle (the reader then sees an IOException or end of stream). */
    boolean fired() {
        return fired;
    }

    private void checkIdle() {
        if (fired || System.nanoTime() - lastActivity < limitNanos) {
            return;
        }
        fired = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is all we want; the reader reports the timeout
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
