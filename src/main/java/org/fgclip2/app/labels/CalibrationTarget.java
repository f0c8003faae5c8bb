package org.fgclip2.app.labels;

import java.util.Locale;
import org.fgclip2.app.cli.UserInputException;

/**
 * What a calibrated threshold must reach on the truth set: a precision (then it keeps the most recall) or a recall
 * (then it keeps the most precision).
 *
 * @param value in (0, 1]
 */
record CalibrationTarget(Metric metric, double value) {

    enum Metric {
        PRECISION, RECALL;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    CalibrationTarget {
        if (!(value > 0 && value <= 1)) {
            throw new UserInputException("--target-" + metric.key() + " must be above 0 and at most 1, got " + value);
        }
    }

    boolean reachedBy(ThresholdCalibration.Point p) {
        return (metric == Metric.PRECISION ? p.precision() : p.recall()) >= value;
    }

    /** E.g. {@code precision 0.9}. */
    @Override
    public String toString() {
        return metric.key() + " " + value;
    }
}
