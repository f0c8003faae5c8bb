package org.fgclip2.app.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses one label's threshold from scored images whose truth is known. Images with the same score are on the same
 * side of every threshold, so the candidates are the distinct scores, each written as the threshold itself (an image
 * is positive when {@code score >= threshold}). Of the candidates that reach the target, the one kept is best in the
 * other metric: the most recall for a target precision (ties: the most precision), the most precision for a target
 * recall (ties: the most recall). A lower threshold that only adds false positives is never chosen.
 */
final class ThresholdCalibration {

    private ThresholdCalibration() {
    }

    /** One image of the set: its score and whether the label truly applies. */
    record Example(float score, boolean positive) {
    }

    /** The set split at one threshold; precision and recall as fractions. */
    record Point(float threshold, int truePositives, int falsePositives, double precision, double recall) {
    }

    /**
     * A label calibrated.
     *
     * @param chosen the chosen point, null when no threshold was found
     * @param reason why no threshold was found, null when one was
     * @param support the positive images
     * @param averagePrecision {@code sum over the curve of (R_n - R_n-1) * P_n} (scikit-learn's definition); null
     *     without positives
     * @param curve one point per distinct score, highest threshold first (recall rising)
     */
    record Result(Point chosen, String reason, int support, int negatives, Double averagePrecision, List<Point> curve) {

        Float threshold() {
            return chosen == null ? null : chosen.threshold();
        }
    }

    static Result calibrate(List<Example> examples, CalibrationTarget target) {
        int positives = (int) examples.stream().filter(Example::positive).count();
        int negatives = examples.size() - positives;
        if (examples.isEmpty()) {
            return new Result(null, "the truth CSV has no rows for this label", 0, 0, null, List.of());
        }
        if (positives == 0) {
            return new Result(null, "no image of the truth CSV is positive for this label (" + negatives
                    + " negative), so precision and recall are undefined", 0, negatives, null, List.of());
        }
        List<Point> curve = curve(examples, positives);
        Point chosen = null;
        for (Point p : curve) {
            if (target.reachedBy(p) && (chosen == null || better(p, chosen, target.metric()))) {
                chosen = p;
            }
        }
        return new Result(chosen, chosen == null ? unreached(curve, target) : null, positives, negatives,
                averagePrecision(curve), curve);
    }

    private static List<Point> curve(List<Example> examples, int positives) {
        List<Example> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparingDouble(Example::score).reversed());
        List<Point> curve = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).positive()) {
                tp++;
            } else {
                fp++;
            }
            float score = sorted.get(i).score();
            if (i + 1 == sorted.size() || sorted.get(i + 1).score() != score) {
                curve.add(new Point(score, tp, fp, (double) tp / (tp + fp), (double) tp / positives));
            }
        }
        return curve;
    }

    private static boolean better(Point p, Point than, CalibrationTarget.Metric target) {
        return target == CalibrationTarget.Metric.PRECISION
                ? p.recall() > than.recall() || p.recall() == than.recall() && p.precision() > than.precision()
                : p.precision() > than.precision() || p.precision() == than.precision() && p.recall() > than.recall();
    }

    /** A target recall is always reached (the lowest score has recall 1), so this is a precision out of reach. */
    private static String unreached(List<Point> curve, CalibrationTarget target) {
        Point best = curve.get(0);
        for (Point p : curve) {
            if (better(p, best, CalibrationTarget.Metric.RECALL)) {
                best = p;
            }
        }
        return String.format(Locale.ROOT, "no threshold reaches %s on this set (the best precision is %.3f, at"
                + " threshold %s with recall %.3f)", target, best.precision(), best.threshold(), best.recall());
    }

    private static double averagePrecision(List<Point> curve) {
        double ap = 0;
        double recall = 0;
        for (Point p : curve) {
            ap += (p.recall() - recall) * p.precision();
            recall = p.recall();
        }
        return ap;
    }
}
