package org.fgclip2.app.run;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start for a service that may come up a little after this instance (brokers and registry started by
 * the same deployment): one attempt per interval and one log line per failed attempt, so that an operator sees
 * what is being waited for and why, instead of a client library's reconnect warnings.
 */
final class StartupWait {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWait.class);
    /** At most this long between two attempts, hence between two log lines. */
    private static final Duration LONGEST_INTERVAL = Duration.ofSeconds(10);
    private static final Duration SHORTEST_ATTEMPT = Duration.ofSeconds(1);

    /** One try: empty when the service answered, else why it did not. */
    interface Attempt {
        Optional<String> tryOnce(Duration budget) throws InterruptedException;
    }

    private StartupWait() {
    }

    /**
     * Tries until an attempt succeeds or {@code timeout} has passed.
     *
     * @param what the service and its address, as in "waiting for Kafka at localhost:9092"
     * @return empty when the service answered in time, else the last attempt's reason
     */
    static Optional<String> until(String what, Duration timeout, Attempt attempt) throws InterruptedException {
        // a few attempts even within a short timeout; attempts of a 60 s timeout are 10 s apart
        Duration interval = min(LONGEST_INTERVAL, timeout.dividedBy(3));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long started = System.nanoTime();
            Duration budget = max(SHORTEST_ATTEMPT, min(interval, Duration.ofNanos(deadline - started)));
            Optional<String> failure = attempt.tryOnce(budget);
            if (failure.isEmpty()) {
                return failure;
            }
            long next = Math.min(started + interval.toNanos(), deadline);
            long now = System.nanoTime();
            if (now >= deadline) {
                return failure;
            }
            LOG.warn("waiting for {}: {}, retrying for another {} s", what, failure.get(),
                    (deadline - now + 999_999_999L) / 1_000_000_000L);
            // an attempt refused at once (nothing listening) waits out its interval: no busy retries
            if (next > now) {
                Thread.sleep(Duration.ofNanos(next - now).toMillis());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
