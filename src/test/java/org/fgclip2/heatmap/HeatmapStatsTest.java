package org.fgclip2.heatmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Peak and peak region on hand-made maps, with pixel coordinates worked out by hand. */
class HeatmapStatsTest {

    /** A map of {@code background} with the given cells set, {row, column, value} each. */
    private static SimilarityMap map(int rows, int columns, float background, float[]... cells) {
        float[] values = new float[rows * columns];
        Arrays.fill(values, background);
        for (float[] cell : cells) {
            values[(int) cell[0] * columns + (int) cell[1]] = cell[2];
        }
        return SimilarityMap.of(rows, columns, values);
    }

    @Test
    void aSinglePeakIsItsOwnRegion() {
        // 4 rows x 6 columns over 600 x 400: every cell is 100 x 100 pixels
        HeatmapStats stats = HeatmapStats.of(map(4, 6, 0.02f, new float[] {1, 4, 0.3f}), 600, 400);

        assertThat(stats.peakScore()).isEqualTo(0.3f);
        assertThat(stats.peakRow()).isEqualTo(1);
        assertThat(stats.peakColumn()).isEqualTo(4);
        assertThat(stats.peakX()).isEqualTo(450);
        assertThat(stats.peakY()).isEqualTo(150);
        assertThat(stats.regionCells()).isEqualTo(1);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(400, 100, 500, 200));
        assertThat(stats.meanScore()).isCloseTo((23 * 0.02 + 0.3) / 24, offset(1e-7));
    }

    @Test
    void aPlateauIsOneRegionAndItsFirstCellThePeak() {
        SimilarityMap plateau = map(4, 5, 0f, new float[] {1, 1, 0.5f}, new float[] {1, 2, 0.5f},
                new float[] {1, 3, 0.5f}, new float[] {2, 1, 0.5f}, new float[] {2, 2, 0.5f}, new float[] {2, 3, 0.5f});

        HeatmapStats stats = HeatmapStats.of(plateau, 500, 400);

        assertThat(stats.peakRow()).isEqualTo(1);
        assertThat(stats.peakColumn()).isEqualTo(1);
        assertThat(stats.regionCells()).isEqualTo(6);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(100, 100, 400, 300));
    }

    @Test
    void theRegionGrowsOverCellsAboveTheThresholdAndStopsBelowIt() {
        // mean = (0.9 + 0.6 + 0.3) / 9 = 0.2; threshold = 0.2 + 0.5 * (0.9 - 0.2) = 0.55: 0.6 joins, 0.3 not
        SimilarityMap map = map(3, 3, 0f, new float[] {0, 0, 0.9f}, new float[] {0, 1, 0.6f}, new float[] {0, 2, 0.3f});

        HeatmapStats stats = HeatmapStats.of(map, 300, 300);

        assertThat(stats.regionThreshold()).isCloseTo(0.55, offset(1e-6));
        assertThat(stats.regionCells()).isEqualTo(2);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(0, 0, 200, 100));
    }

    @Test
    void diagonalNeighboursAndSeparateBlobsAreLeftOut() {
        SimilarityMap map = map(5, 5, 0f, new float[] {2, 2, 1.0f}, new float[] {1, 1, 0.95f}, // diagonal only
                new float[] {3, 3, 0.95f}, new float[] {0, 4, 0.99f}, new float[] {4, 0, 0.99f}); // far away

        HeatmapStats stats = HeatmapStats.of(map, 500, 500);

        assertThat(stats.regionCells()).isEqualTo(1);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(200, 200, 300, 300));
    }

    @Test
    void peaksAtTheBordersGiveBoxesClampedToTheImage() {
        HeatmapStats topLeft = HeatmapStats.of(map(3, 4, 0f, new float[] {0, 0, 1f}), 401, 301);
        HeatmapStats bottomRight = HeatmapStats.of(map(3, 4, 0f, new float[] {2, 3, 1f}), 401, 301);

        // 401 / 4 = 100.25 and 301 / 3 = 100.33 pixels per cell
        assertThat(topLeft.peakRegion()).isEqualTo(new PixelRect(0, 0, 101, 101));
        assertThat(topLeft.peakX()).isEqualTo(50);
        assertThat(topLeft.peakY()).isEqualTo(50);
        assertThat(bottomRight.peakRegion()).isEqualTo(new PixelRect(300, 200, 401, 301));
        assertThat(bottomRight.peakX()).isEqualTo(350);
        assertThat(bottomRight.peakY()).isEqualTo(250);
    }

    @Test
    void nonIntegerCellSizesRoundOutwardsAndCentresDown() {
        // 100 pixels over 3 columns: cell edges at 33.33 and 66.67; 10 pixels over 7 rows: 1.43 each
        HeatmapStats middle = HeatmapStats.of(map(7, 3, 0f, new float[] {3, 1, 1f}), 100, 10);

        assertThat(middle.peakRegion()).isEqualTo(new PixelRect(33, 4, 67, 6)); // y in [4.29, 5.71)
        assertThat(middle.peakX()).isEqualTo(50);
        assertThat(middle.peakY()).isEqualTo(5); // centre 5.0
        HeatmapStats first = HeatmapStats.of(map(7, 3, 0f, new float[] {0, 0, 1f}), 100, 10);
        assertThat(first.peakX()).isEqualTo(16); // centre 16.67
        assertThat(first.peakY()).isEqualTo(0); // centre 0.71
        assertThat(first.peakRegion()).isEqualTo(new PixelRect(0, 0, 34, 2));
    }

    @Test
    void aNonSquareGridMapsRowsAndColumnsSeparately() {
        // 2 rows x 8 columns over a tall 160 x 900 image: cells are 20 wide, 450 high
        SimilarityMap map = map(2, 8, 0f, new float[] {1, 6, 1f}, new float[] {1, 7, 0.9f});

        HeatmapStats stats = HeatmapStats.of(map, 160, 900);

        assertThat(stats.peakRow()).isEqualTo(1);
        assertThat(stats.peakColumn()).isEqualTo(6);
        assertThat(stats.peakX()).isEqualTo(130);
        assertThat(stats.peakY()).isEqualTo(675);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(120, 450, 160, 900));
    }

    @Test
    void aFlatMapCoversTheWholeImage() {
        HeatmapStats stats = HeatmapStats.of(map(3, 4, 0.2f), 640, 480);

        assertThat(stats.regionCells()).isEqualTo(12);
        assertThat(stats.peakRegion()).isEqualTo(new PixelRect(0, 0, 640, 480));
    }

    @Test
    void theFractionMovesTheThresholdBetweenMeanAndPeak() {
        // a ramp 0.0 .. 0.7 along one row; mean 0.35
        SimilarityMap ramp = SimilarityMap.of(1, 8, new float[] {0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f});

        assertThat(HeatmapStats.of(ramp, 800, 100, 0).regionCells()).isEqualTo(4); // >= 0.35
        assertThat(HeatmapStats.of(ramp, 800, 100, 0.5).regionCells()).isEqualTo(2); // >= 0.525
        assertThat(HeatmapStats.of(ramp, 800, 100, 1).regionCells()).isEqualTo(1); // the peak only
        assertThat(HeatmapStats.of(ramp, 800, 100, 0).peakRegion()).isEqualTo(new PixelRect(400, 0, 800, 100));
    }

    @Test
    void rejectsBadArguments() {
        SimilarityMap map = map(2, 2, 0f);

        assertThatThrownBy(() -> HeatmapStats.of(map, 0, 10)).hasMessageContaining("image size");
        assertThatThrownBy(() -> HeatmapStats.of(map, 10, 10, 1.5)).hasMessageContaining("regionFraction");
    }
}
