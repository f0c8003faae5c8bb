package org.fgclip2.app.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread fails. Kafka Streams then aborts the thread's transaction; a replacement thread
 * redoes the work from the last commit, after a pause that doubles with each failure in the window (1 s, 2 s, ...,
 * at most {@value #MAX_PAUSE_SECONDS} s), so that a failure that repeats does not spin. One failure more than the
 * window tolerates stops the instance (Kafka Streams goes to ERROR and the process exits with status 1), for the
 * orchestrator to restart it: something outside a single record is wrong. A record that fails a thread is dead-
 * lettered when it is read again (see the topology's failure ledger), so it costs one failure, not a loop.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);
    static final long MAX_PAUSE_SECONDS = 30;

    private final int maxFailures;
    private final Duration window;
    private final Counter failed;
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    private volatile String replacing;

    StreamThreadFailures(int maxFailures, Duration window, MeterRegistry metrics) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.failed = Counter.builder("fgclip2.stream.thread.failures").description("stream threads that failed")
                .register(metrics);
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        failed.increment();
        int count = record(System.nanoTime());
        String what = exception.toString();
        if (count > maxFailures) {
            LOG.error("stream thread failed for the {}th time within {} (streams.max-thread-failures = {}); stopping"
                    + " the instance", count, window, maxFailures, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long pause = Math.min(MAX_PAUSE_SECONDS, 1L << Math.min(count - 1, 16));
        LOG.error("stream thread failed ({} of {} tolerated within {}); its uncommitted work is redone by a new thread"
                + " in {} s", count, maxFailures, window, pause, exception);
        replacing = "a stream thread failed and is replaced in " + pause + " s (" + count + " failures within "
                + window + "): " + what;
        try {
            Thread.sleep(pause * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            replacing = null;
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private synchronized int record(long now) {
        while (!failures.isEmpty() && now - failures.peekFirst() > window.toNanos()) {
            failures.pollFirst();
        }
        failures.addLast(now);
        return failures.size();
    }

    /** Why the instance is not processing right now, while a failed thread waits for its replacement. */
    Optional<String> problem() {
        return Optional.ofNullable(replacing);
    }
}
