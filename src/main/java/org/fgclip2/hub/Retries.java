package org.fgclip2.hub;

import java.time.Duration;

/** The pause between tries: {@link HubOptions#firstRetryDelay()}, doubling, at most {@link #MAX_DELAY}. */
final class Retries {

    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private Retries() {
    }

    static void pause(HubOptions options, int failedAttempts) {
        Duration delay = options.firstRetryDelay().multipliedBy(1L << Math.min(failedAttempts - 1, 16));
        try {
            Thread.sleep(Math.min(delay.toMillis(), MAX_DELAY.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelResolutionException("interrupted while waiting to retry a download", e);
        }
    }
}
