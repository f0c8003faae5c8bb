package org.fgclip2.heatmap;

/**
 * Which similarity values the two ends of the colour map stand for.
 *
 * <p>{@link #auto()}, the default, stretches each map over the whole colour map, from its own minimum to its
 * maximum: what the official FG-CLIP 2 demo shows ({@code imshow} normalises that way), and the most readable
 * picture of <em>where</em> a label is. Its price: colours do not compare across images or labels, and a label
 * that is nowhere still gets a yellow spot. {@link #fixed(double, double)} keeps one range for every map, so the
 * same colour means the same cosine everywhere; values outside it are clamped. Dense cosines of a model sit in a
 * narrow band (calibrate the range on a few images) rather than the nominal [-1, 1].
 */
public sealed interface ColorScale {

    /** Each map from its minimum (dark purple) to its maximum (yellow). */
    static ColorScale auto() {
        return new Auto();
    }

    /** Every map from {@code lo} (dark purple) to {@code hi} (yellow). */
    static ColorScale fixed(double lo, double hi) {
        return new Fixed(lo, hi);
    }

    /**
     * {@code auto}, or {@code LO..HI} for a fixed range (e.g. {@code 0.05..0.35}).
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static ColorScale parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("auto")) {
            return auto();
        }
        int dots = t.indexOf("..");
        if (dots > 0) {
            try {
                return fixed(Double.parseDouble(t.substring(0, dots)), Double.parseDouble(t.substring(dots + 2)));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a colour scale: auto, or LO..HI such as 0.05..0.35");
    }

    /** The value range the colour map spans for this map. */
    ValueRange rangeFor(SimilarityMap map);

    /** See {@link ColorScale#auto()}. */
    record Auto() implements ColorScale {
        @Override
        public ValueRange rangeFor(SimilarityMap map) {
            return new ValueRange(map.min(), map.max());
        }
    }

    /** See {@link ColorScale#fixed(double, double)}. */
    record Fixed(double lo, double hi) implements ColorScale {
        public Fixed {
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo >= hi) {
                throw new IllegalArgumentException("a fixed colour scale needs finite lo < hi, got [" + lo + ", "
                        + hi + "]");
            }
        }

        @Override
        public ValueRange rangeFor(SimilarityMap map) {
            return new ValueRange(lo, hi);
        }
    }

    /** A resolved range; a map whose values are all equal has {@code lo == hi} and sits at the low end. */
    record ValueRange(double lo, double hi) {
        /** Where {@code value} falls on the colour map, in [0, 1]. */
        public double position(double value) {
            if (hi <= lo) {
                return 0;
            }
            return Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
        }
    }
}
