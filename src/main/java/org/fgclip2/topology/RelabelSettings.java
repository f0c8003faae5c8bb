package org.fgclip2.topology;

import java.time.Duration;
import java.util.Locale;

/**
 * Which labelled images each task keeps, to re-score them when their label set changes, and what it publishes then.
 *
 * @param maxImages most images a task keeps (the oldest go first); 0 keeps none and re-labels nothing
 * @param window how long a labelled image is kept
 * @param emit which re-scored images are published
 * @param delay how long a label set must stay unchanged before its images are re-scored, so that a file of labels
 *     loaded one by one re-scores once
 */
public record RelabelSettings(int maxImages, Duration window, Emit emit, Duration delay) {

    /** Which re-scored images are published again. */
    public enum Emit {
        /** Only those whose positive labels, review labels or decision changed. */
        CHANGED,
        /** Every re-scored image. */
        ALL;

        public static Emit parse(String value) {
            for (Emit e : values()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected 'changed' or 'all', got '" + value + "'");
        }
    }

    public RelabelSettings {
        if (maxImages < 0 || window.isNegative() || window.isZero() || delay.isNegative()) {
            throw new IllegalArgumentException("re-labelling needs maxImages >= 0, a positive window and a delay"
                    + " >= 0, got " + maxImages + ", " + window + " and " + delay);
        }
    }

    public boolean enabled() {
        return maxImages > 0;
    }
}
