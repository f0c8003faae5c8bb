package org.fgclip2.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PillowResizeTest {

    private static final Path CASES = PillowReferences.PILLOW.resolve("resize");

    static List<Arguments> pillowCases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : PillowReferences.json(CASES.resolve("manifest.json"))) {
            cases.add(Arguments.of(c.get("source").asText(), c.get("width").asInt(), c.get("height").asInt(),
                    c.get("expected").asText()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} -> {1}x{2}")
    @MethodSource("pillowCases")
    void matchesPillowBilinearBitForBit(String source, int width, int height, String expectedFile) {
        RgbImage expected = PillowReferences.png(CASES.resolve(expectedFile));

        RgbImage resized = PillowResize.resize(PillowReferences.png(CASES.resolve(source)), width, height);

        assertThat(resized.width()).isEqualTo(width);
        assertThat(resized.height()).isEqualTo(height);
        assertThat(resized.equals(expected)).as(PillowReferences.firstDifference(resized, expected)).isTrue();
    }

    @Test
    void filterTapsGrowWithTheDownScaleFactorAndSumToOne() {
        // 10 -> 3: scale 3.33, so every output reads up to 2·ceil(3.33)+1 = 9 source pixels
        PillowResize.Coefficients c = PillowResize.Coefficients.of(10, 3);

        assertThat(c.stride()).isEqualTo(9);
        for (int i = 0; i < 3; i++) {
            int sum = 0;
            for (int k = 0; k < c.count(i); k++) {
                sum += c.weights()[i * c.stride() + k];
            }
            assertThat(sum).as("output %d", i).isBetween((1 << 22) - 8, (1 << 22) + 8);
            assertThat(c.start(i) + c.count(i)).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void unchangedSizeKeepsThePixels() {
        RgbImage image = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});

        assertThat(PillowResize.resize(image, 2, 1)).isEqualTo(image);
    }

    @Test
    void rejectsEmptyTargets() {
        RgbImage image = new RgbImage(1, 1, new byte[3]);

        assertThatThrownBy(() -> PillowResize.resize(image, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x4");
    }
}
