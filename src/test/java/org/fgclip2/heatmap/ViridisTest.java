package org.fgclip2.heatmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The colour map against viridis' published colours, and the property it was designed for: rising lightness. */
class ViridisTest {

    // matplotlib's viridis at 0, 0.25, 0.5 and 1 (the hex values the viridis documentation lists)
    private static final int START = 0x440154;
    private static final int QUARTER = 0x3B528B;
    private static final int MIDDLE = 0x21918C;
    private static final int END = 0xFDE725;

    static void assertNear(int actual, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(actual >> shift & 0xFF).as("channel at bit %d of %06x vs %06x", shift, actual, expected)
                    .isCloseTo(expected >> shift & 0xFF, offset(4));
        }
    }

    @Test
    void matchesThePublishedColours() {
        assertNear(Viridis.rgb(0), START);
        assertNear(Viridis.rgb(0.25), QUARTER);
        assertNear(Viridis.rgb(0.5), MIDDLE);
        assertNear(Viridis.rgb(1), END);
    }

    @Test
    void clampsOutOfRangePositions() {
        assertThat(Viridis.rgb(-3)).isEqualTo(Viridis.rgb(0));
        assertThat(Viridis.rgb(Double.NaN)).isEqualTo(Viridis.rgb(0));
        assertThat(Viridis.rgb(7)).isEqualTo(Viridis.rgb(1));
    }

    @Test
    void lightnessRisesMonotonically() {
        // 8-bit rounding makes neighbouring entries wobble by a fraction of a unit (matplotlib's own table too);
        // over 1/32 of the range lightness must rise, and no step may fall by more than rounding explains
        double[] lightness = new double[Viridis.SIZE];
        for (int i = 0; i < Viridis.SIZE; i++) {
            lightness[i] = lightness(Viridis.rgb(i / (Viridis.SIZE - 1.0)));
        }
        for (int i = 1; i < Viridis.SIZE; i++) {
            assertThat(lightness[i]).as("L* at entry %d", i).isGreaterThan(lightness[i - 1] - 0.5);
        }
        for (int i = 8; i < Viridis.SIZE; i += 8) {
            assertThat(lightness[i]).as("L* at entry %d", i).isGreaterThan(lightness[i - 8] + 1);
        }
        assertThat(lightness[0]).isLessThan(20);
        assertThat(lightness[Viridis.SIZE - 1]).isGreaterThan(85);
    }

    /** CIELAB L* of an sRGB colour. */
    static double lightness(int rgb) {
        double y = 0.2126 * linear(rgb >> 16 & 0xFF) + 0.7152 * linear(rgb >> 8 & 0xFF) + 0.0722 * linear(rgb & 0xFF);
        double f = y > 216.0 / 24389 ? Math.cbrt(y) : (24389.0 / 27 * y + 16) / 116;
        return 116 * f - 16;
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
