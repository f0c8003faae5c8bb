package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.labels.CalibrationTarget.Metric;
import org.fgclip2.app.labels.ThresholdCalibration.Example;
import org.fgclip2.app.labels.ThresholdCalibration.Point;
import org.fgclip2.app.labels.ThresholdCalibration.Result;
import org.junit.jupiter.api.Test;

/**
 * The threshold choice on scores known by hand. The main fixture, highest score first, with a tie at 0.8:
 *
 * <pre>
 * score     0.9  0.8  0.8  0.7  0.6  0.5
 * truth     yes  yes  no   no   yes  no
 * threshold 0.9: TP 1 FP 0  precision 1    recall 1/3
 *           0.8: TP 2 FP 1  precision 2/3  recall 2/3
 *           0.7: TP 2 FP 2  precision 1/2  recall 2/3
 *           0.6: TP 3 FP 2  precision 3/5  recall 1
 *           0.5: TP 3 FP 3  precision 1/2  recall 1
 * AP = 1/3 * 1 + 1/3 * 2/3 + 0 * 1/2 + 1/3 * 3/5 + 0 * 1/2 = 34/45
 * </pre>
 */
class ThresholdCalibrationTest {

    /** In a shuffled order, so that nothing depends on the order of the input. */
    private static final List<Example> SET = List.of(new Example(0.7f, false), new Example(0.8f, true),
            new Example(0.5f, false), new Example(0.9f, true), new Example(0.6f, true), new Example(0.8f, false));

    private static Result calibrate(List<Example> set, Metric metric, double value) {
        return ThresholdCalibration.calibrate(set, new CalibrationTarget(metric, value));
    }

    @Test
    void theCurveHasOnePointPerDistinctScoreWithTiesOnTheSameSide() {
        Result r = calibrate(SET, Metric.PRECISION, 0.6);

        assertThat(r.curve()).extracting(Point::threshold).containsExactly(0.9f, 0.8f, 0.7f, 0.6f, 0.5f);
        assertThat(r.curve()).extracting(Point::truePositives).containsExactly(1, 2, 2, 3, 3);
        assertThat(r.curve()).extracting(Point::falsePositives).containsExactly(0, 1, 2, 2, 3);
        assertThat(r.curve().get(1).precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.curve().get(3).recall()).isEqualTo(1.0);
        assertThat(r.support()).isEqualTo(3);
        assertThat(r.negatives()).isEqualTo(3);
        assertThat(r.averagePrecision()).isCloseTo(34.0 / 45, within(1e-12));
    }

    @Test
    void aTargetPrecisionKeepsTheThresholdWithTheMostRecall() {
        Result r = calibrate(SET, Metric.PRECISION, 0.6);

        // 0.9, 0.8 and 0.6 reach 0.6; 0.6 has recall 1
        assertThat(r.threshold()).isEqualTo(0.6f);
        assertThat(r.chosen().precision()).isCloseTo(0.6, within(1e-12));
        assertThat(r.chosen().recall()).isEqualTo(1.0);
        assertThat(r.reason()).isNull();
        assertThat(calibrate(SET, Metric.PRECISION, 0.65).threshold()).as("only 0.9 and the tie at 0.8 reach it")
                .isEqualTo(0.8f);
        assertThat(calibrate(SET, Metric.PRECISION, 0.7).threshold()).isEqualTo(0.9f);
        assertThat(calibrate(SET, Metric.PRECISION, 2.0 / 3).threshold()).as("exactly 2/3 reaches 2/3")
                .isEqualTo(0.8f);
    }

    @Test
    void ofTwoThresholdsWithTheSameRecallTheMorePreciseOneIsKept() {
        // 0.5 reaches precision 0.5 with recall 1 too, but only adds a false positive
        List<Example> set = List.of(new Example(0.9f, true), new Example(0.5f, false));

        Result r = calibrate(set, Metric.PRECISION, 0.5);

        assertThat(r.threshold()).isEqualTo(0.9f);
        assertThat(r.chosen().precision()).isEqualTo(1.0);
    }

    @Test
    void aTargetRecallKeepsTheThresholdWithTheMostPrecision() {
        // 0.8, 0.7, 0.6, 0.5 reach recall 1/2; 0.8 has precision 2/3
        assertThat(calibrate(SET, Metric.RECALL, 0.5).threshold()).isEqualTo(0.8f);
        // only 0.6 and 0.5 reach recall 1; 0.6 has precision 3/5
        Result all = calibrate(SET, Metric.RECALL, 1.0);
        assertThat(all.threshold()).isEqualTo(0.6f);
        assertThat(all.chosen().precision()).isCloseTo(0.6, within(1e-12));
        assertThat(calibrate(SET, Metric.RECALL, 0.2).threshold()).isEqualTo(0.9f);
    }

    @Test
    void aPrecisionNoThresholdReachesGivesNoneAndSaysTheBest() {
        Result r = calibrate(SET, Metric.PRECISION, 1.0);
        assertThat(r.threshold()).as("0.9 alone has precision 1").isEqualTo(0.9f);

        List<Example> noisy = List.of(new Example(0.9f, false), new Example(0.8f, true), new Example(0.7f, false),
                new Example(0.6f, true));
        Result none = calibrate(noisy, Metric.PRECISION, 0.9);

        assertThat(none.threshold()).isNull();
        assertThat(none.chosen()).isNull();
        // precision 0, 1/2, 1/3, 1/2: the best is 1/2, at 0.6 (more recall than 0.8)
        assertThat(none.reason()).isEqualTo("no threshold reaches precision 0.9 on this set (the best precision is"
                + " 0.500, at threshold 0.6 with recall 1.000)");
        // AP = 1/2 * 1/2 + 1/2 * 1/2
        assertThat(none.averagePrecision()).isCloseTo(0.5, within(1e-12));
        assertThat(none.curve()).hasSize(4);
    }

    @Test
    void aLabelWithoutPositivesGetsNoThresholdAndNoAveragePrecision() {
        Result r = calibrate(List.of(new Example(0.3f, false), new Example(0.2f, false)), Metric.PRECISION, 0.9);

        assertThat(r.threshold()).isNull();
        assertThat(r.reason()).isEqualTo("no image of the truth CSV is positive for this label (2 negative), so"
                + " precision and recall are undefined");
        assertThat(r.support()).isZero();
        assertThat(r.negatives()).isEqualTo(2);
        assertThat(r.averagePrecision()).isNull();
        assertThat(r.curve()).isEmpty();

        Result empty = calibrate(List.of(), Metric.RECALL, 0.5);
        assertThat(empty.threshold()).isNull();
        assertThat(empty.reason()).isEqualTo("the truth CSV has no rows for this label");
    }

    @Test
    void allImagesTiedMakeOnePoint() {
        List<Example> tied = List.of(new Example(0.4f, true), new Example(0.4f, false), new Example(0.4f, false),
                new Example(0.4f, true));

        Result r = calibrate(tied, Metric.PRECISION, 0.5);

        assertThat(r.curve()).containsExactly(new Point(0.4f, 2, 2, 0.5, 1.0));
        assertThat(r.threshold()).isEqualTo(0.4f);
        assertThat(r.averagePrecision()).isEqualTo(0.5);
        assertThat(calibrate(tied, Metric.PRECISION, 0.51).threshold()).isNull();
    }

    @Test
    void theThresholdSplitsTheSetAsChosen() {
        // many scores with ties: counting score >= threshold must give the chosen point's precision and recall
        SplittableRandom random = new SplittableRandom(7);
        List<Example> set = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            boolean positive = random.nextInt(3) == 0;
            float score = Math.round((random.nextDouble() * 0.6 + (positive ? 0.3 : 0)) * 50) / 50f;
            set.add(new Example(score, positive));
        }
        for (double target : new double[] {0.5, 0.7, 0.8, 0.9}) {
            Point p = calibrate(set, Metric.PRECISION, target).chosen();
            assertThat(p).isNotNull();
            long tp = set.stream().filter(e -> e.score() >= p.threshold() && e.positive()).count();
            long fp = set.stream().filter(e -> e.score() >= p.threshold() && !e.positive()).count();
            assertThat(p.truePositives()).isEqualTo(tp);
            assertThat(p.falsePositives()).isEqualTo(fp);
            assertThat(p.precision()).isGreaterThanOrEqualTo(target);
            // no other threshold reaching the target has more recall
            long positives = set.stream().filter(Example::positive).count();
            for (Example e : set) {
                long tpAt = set.stream().filter(x -> x.score() >= e.score() && x.positive()).count();
                long allAt = set.stream().filter(x -> x.score() >= e.score()).count();
                if ((double) tpAt / allAt >= target) {
                    assertThat((double) tpAt / positives).isLessThanOrEqualTo(p.recall());
                }
            }
        }
    }

    @Test
    void targetsOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> new CalibrationTarget(Metric.PRECISION, 0)).isInstanceOf(UserInputException.class)
                .hasMessage("--target-precision must be above 0 and at most 1, got 0.0");
        assertThatThrownBy(() -> new CalibrationTarget(Metric.RECALL, 1.5)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--target-recall");
        assertThatThrownBy(() -> new CalibrationTarget(Metric.RECALL, Double.NaN))
                .isInstanceOf(UserInputException.class);
    }
}
