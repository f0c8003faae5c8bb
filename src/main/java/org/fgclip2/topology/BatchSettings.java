package org.fgclip2.topology;

import java.time.Duration;

/**
 * How image events are batched through the model.
 *
 * @param maxSize most images per forward (default 32)
 * @param maxWait an accepted image waits at most this long for its batch to fill (default 50 ms)
 * @param patchBudget most patch slots (images × padded patches) per forward, bounding memory (default 16384)
 * @param timeBudget most time spent in forwards per call from the stream thread, and the predicted time of one
 *     batch: keeps the thread polling well within {@code max.poll.interval.ms} (default 30 s = a tenth of it)
 * @param tick how often waiting batches are checked (default 10 ms)
 * @param maxPatchesPerImage largest {@code maxPatches} an event may ask for (default 4096)
 */
public record BatchSettings(int maxSize, Duration maxWait, int patchBudget, Duration timeBudget, Duration tick,
                            int maxPatchesPerImage) {

    public static final BatchSettings DEFAULTS = new BatchSettings(32, Duration.ofMillis(50), 16384,
            Duration.ofSeconds(30), Duration.ofMillis(10), 4096);

    public BatchSettings {
        if (maxSize < 1 || patchBudget < 1 || maxPatchesPerImage < 1) {
            throw new IllegalArgumentException("batch sizes and budgets must be positive");
        }
        if (maxWait.isNegative() || timeBudget.isNegative() || timeBudget.isZero() || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("batch durations must be positive");
        }
    }
}
