package org.fgclip2.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a batch by predicted time: an exponentially weighted average of measured seconds per image for each
 * patch bucket, so a batch is never predicted to take longer than the time budget (and the stream thread returns
 * to polling in time). Before the first measurement of a bucket it starts with one image, then learns.
 */
final class BatchSizer {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSizer.class);
    private static final double WEIGHT = 0.3;

    private final BatchSettings settings;
    private final Map<Integer, Double> secondsPerImage = new HashMap<>();
    private final Set<Integer> overBudget = new HashSet<>();

    BatchSizer(BatchSettings settings) {
        this.settings = settings;
    }

    /** Most images a batch of this bucket may hold now. */
    int limit(int bucket) {
        int byPatches = Math.max(1, settings.patchBudget() / bucket);
        Double perImage = secondsPerImage.get(bucket);
        if (perImage == null) {
            return 1;
        }
        int byTime = (int) Math.max(1, Math.floor(settings.timeBudget().toNanos() / 1e9 / perImage));
        return Math.min(settings.maxSize(), Math.min(byPatches, byTime));
    }

    /** Predicted model time of a batch; the whole budget for a bucket not yet measured. */
    long predictedNanos(int bucket, int images) {
        Double perImage = secondsPerImage.get(bucket);
        return perImage == null ? settings.timeBudget().toNanos() : (long) (perImage * images * 1e9);
    }

    void measured(int bucket, int images, Duration elapsed) {
        double perImage = elapsed.toNanos() / 1e9 / images;
        secondsPerImage.merge(bucket, perImage, (old, now) -> old + WEIGHT * (now - old));
        if (images == 1 && elapsed.compareTo(settings.timeBudget()) > 0 && overBudget.add(bucket)) {
            LOG.warn("one image of the {}-patch bucket took {} ms, over batch.time-budget ({} ms): on this hardware "
                    + "raise max.poll.interval.ms and, under exactly_once_v2, kafka.producer.transaction.timeout.ms "
                    + "(the budget follows them), or cap maxPatches", bucket, elapsed.toMillis(),
                    settings.timeBudget().toMillis());
        }
    }
}
