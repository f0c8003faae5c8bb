package org.fgclip2.topology;

import java.time.Duration;

/**
 * How image events are batched through the model; the defaults and their reasons are in the settings table.
 *
 * @param maxSize most images per forward
 * @param maxWait an accepted image waits at most this long for its batch to fill
 * @param patchBudget most patch slots (images × padded patches) per forward, bounding memory
 * @param timeBudget most time spent in forwards per call from the stream thread, and the predicted time of one
 *     batch: keeps the thread within {@code max.poll.interval.ms} and the transaction timeout
 * @param tick how often waiting batches are checked
 * @param maxPatchesPerImage largest {@code maxPatches} an event may ask for
 * @param maxInProgress most images a stream thread fetches, decodes and holds for the model at once; the rest of a
 *     backlog waits in the pending store, so that memory does not grow with the backlog
 */
public record BatchSettings(int maxSize, Duration maxWait, int patchBudget, Duration timeBudget, Duration tick,
                            int maxPatchesPerImage, int maxInProgress) {

    public BatchSettings {
        if (maxSize < 1 || patchBudget < 1 || maxPatchesPerImage < 1) {
            throw new IllegalArgumentException("batch sizes and budgets must be positive");
        }
        if (maxInProgress < maxSize) {
            throw new IllegalArgumentException("batch.max-in-progress (" + maxInProgress + ") must be at least"
                    + " batch.max-size (" + maxSize + "), or no batch could ever fill");
        }
        if (maxWait.isNegative() || timeBudget.isNegative() || timeBudget.isZero() || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("batch durations must be positive");
        }
    }
}
