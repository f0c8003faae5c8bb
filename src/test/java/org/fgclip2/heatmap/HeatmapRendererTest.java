package org.fgclip2.heatmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.fgclip2.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Rendered PNGs decoded back with ImageIO and checked pixel by pixel against viridis' published colours. */
class HeatmapRendererTest {

    private static final int PURPLE = 0x440154; // viridis at 0
    private static final int TEAL = 0x21918C; // viridis at 0.5
    private static final int YELLOW = 0xFDE725; // viridis at 1

    private final HeatmapRenderer renderer = new HeatmapRenderer(HeatmapStyle.of(768, ColorScale.auto()));

    static RgbImage grey(int width, int height, int level) {
        byte[] rgb = new byte[width * height * 3];
        Arrays.fill(rgb, (byte) level);
        return new RgbImage(width, height, rgb);
    }

    static BufferedImage decode(byte[] png) throws IOException {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** {@code over} mixed half and half with grey {@code level}, per channel. */
    private static int halfOver(int level, int over) {
        int r = (int) Math.round((level + (over >> 16 & 0xFF)) / 2.0);
        int g = (int) Math.round((level + (over >> 8 & 0xFF)) / 2.0);
        int b = (int) Math.round((level + (over & 0xFF)) / 2.0);
        return r << 16 | g << 8 | b;
    }

    @Test
    void anOverlayKeepsTheSizeOfASmallImage() throws IOException {
        BufferedImage png = decode(renderer.overlayPng(grey(300, 200, 90), SimilarityMap.of(2, 3, new float[6])));

        assertThat(png.getWidth()).isEqualTo(300);
        assertThat(png.getHeight()).isEqualTo(200);
    }

    @Test
    void aLargeImageIsScaledToThePreviewSideKeepingItsAspect() throws IOException {
        SimilarityMap map = SimilarityMap.of(2, 4, new float[8]);

        BufferedImage landscape = decode(renderer.overlayPng(grey(2000, 1000, 90), map));
        BufferedImage portrait = decode(new HeatmapRenderer(HeatmapStyle.of(100, ColorScale.auto()))
                .overlayPng(grey(300, 1000, 90), map));

        assertThat(landscape.getWidth()).isEqualTo(768);
        assertThat(landscape.getHeight()).isEqualTo(384);
        assertThat(portrait.getWidth()).isEqualTo(30);
        assertThat(portrait.getHeight()).isEqualTo(100);
    }

    @Test
    void aHotCellIsBrightAndYellowAColdCellDarkAndPurple() throws IOException {
        SimilarityMap map = SimilarityMap.of(2, 2, new float[] {0.31f, 0.02f, 0.05f, 0.04f});

        BufferedImage png = decode(renderer.overlayPng(grey(64, 64, 128), map));
        int hot = png.getRGB(5, 5) & 0xFFFFFF; // inside the top-left cell, before its centre: pure cell value
        int cold = png.getRGB(60, 5) & 0xFFFFFF; // the top-right cell holds the minimum

        ViridisTest.assertNear(hot, halfOver(128, YELLOW));
        ViridisTest.assertNear(cold, halfOver(128, PURPLE));
        assertThat(ViridisTest.lightness(hot)).isGreaterThan(ViridisTest.lightness(0x808080))
                .isGreaterThan(ViridisTest.lightness(cold) + 20);
    }

    @Test
    void theMapIsUpsampledSmoothlyBetweenCellCentres() throws IOException {
        SimilarityMap map = SimilarityMap.of(1, 2, new float[] {0f, 1f});

        BufferedImage png = decode(new HeatmapRenderer(new HeatmapStyle(768, 1.0, ColorScale.auto()))
                .overlayPng(grey(200, 10, 0), map));
        int[] green = new int[200];
        for (int x = 0; x < 200; x++) {
            green[x] = png.getRGB(x, 5) >> 8 & 0xFF;
        }

        // flat before the first cell centre (x = 50) and after the second (x = 150), a ramp in between
        assertThat(green[0]).isEqualTo(green[49]);
        assertThat(green[150]).isEqualTo(green[199]);
        Set<Integer> ramp = new HashSet<>();
        for (int x = 50; x < 150; x++) {
            assertThat(green[x + 1]).isGreaterThanOrEqualTo(green[x]);
            ramp.add(green[x]);
        }
        assertThat(ramp).hasSizeGreaterThan(50); // nearest-neighbour would give two
        ViridisTest.assertNear(png.getRGB(100, 5) & 0xFFFFFF, TEAL);
    }

    @Test
    void anOpacityOfZeroLeavesTheImageAlone() throws IOException {
        byte[] rgb = new byte[40 * 30 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7);
        }
        RgbImage image = new RgbImage(40, 30, rgb);

        BufferedImage png = decode(new HeatmapRenderer(new HeatmapStyle(768, 0, ColorScale.auto()))
                .overlayPng(image, SimilarityMap.of(3, 4, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})));

        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int expected = sample(image, x, y, 0) << 16 | sample(image, x, y, 1) << 8 | sample(image, x, y, 2);
                assertThat(png.getRGB(x, y) & 0xFFFFFF).isEqualTo(expected);
            }
        }
    }

    @Test
    void theMapAloneHasOneColourPerCell() throws IOException {
        SimilarityMap map = SimilarityMap.of(2, 3, new float[] {-0.25f, 0f, 0.75f, 0.25f, 0.125f, 0.5f});

        BufferedImage png = decode(renderer.mapPng(map, 10));

        assertThat(png.getWidth()).isEqualTo(30);
        assertThat(png.getHeight()).isEqualTo(20);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                int corner = png.getRGB(c * 10, r * 10);
                for (int dy = 0; dy < 10; dy++) {
                    for (int dx = 0; dx < 10; dx++) {
                        assertThat(png.getRGB(c * 10 + dx, r * 10 + dy)).isEqualTo(corner);
                    }
                }
            }
        }
        ViridisTest.assertNear(png.getRGB(0, 0) & 0xFFFFFF, PURPLE); // the minimum
        ViridisTest.assertNear(png.getRGB(20, 0) & 0xFFFFFF, YELLOW); // the maximum
        ViridisTest.assertNear(png.getRGB(20, 10) & 0xFFFFFF, 0x5EC962); // 0.5 sits at 0.75 of [-0.25, 0.75]
    }

    @Test
    void aFixedScaleGivesTheSameColourToTheSameValueInEveryMap() throws IOException {
        SimilarityMap weak = SimilarityMap.of(1, 2, new float[] {0.1f, 0.2f});
        SimilarityMap strong = SimilarityMap.of(1, 2, new float[] {0.2f, 0.4f});
        HeatmapRenderer fixed = new HeatmapRenderer(defaultsWith(ColorScale.fixed(0, 0.4)));

        BufferedImage weakFixed = decode(fixed.mapPng(weak, 1));
        BufferedImage strongFixed = decode(fixed.mapPng(strong, 1));
        BufferedImage weakAuto = decode(renderer.mapPng(weak, 1));

        ViridisTest.assertNear(weakFixed.getRGB(1, 0) & 0xFFFFFF, TEAL);
        assertThat(strongFixed.getRGB(0, 0)).isEqualTo(weakFixed.getRGB(1, 0));
        ViridisTest.assertNear(strongFixed.getRGB(1, 0) & 0xFFFFFF, YELLOW);
        ViridisTest.assertNear(weakAuto.getRGB(1, 0) & 0xFFFFFF, YELLOW); // auto stretches the weak map
    }

    @Test
    void valuesOutsideAFixedScaleAreClamped() throws IOException {
        SimilarityMap map = SimilarityMap.of(1, 4, new float[] {-0.9f, 0f, 0.5f, 0.9f});

        BufferedImage png = decode(new HeatmapRenderer(defaultsWith(ColorScale.fixed(0, 0.5)))
                .mapPng(map, 1));

        assertThat(png.getRGB(0, 0)).isEqualTo(png.getRGB(1, 0));
        assertThat(png.getRGB(3, 0)).isEqualTo(png.getRGB(2, 0));
    }

    @Test
    void aFlatMapIsDrawnAtTheLowEnd() throws IOException {
        BufferedImage png = decode(renderer.mapPng(SimilarityMap.of(2, 2, new float[] {0.3f, 0.3f, 0.3f, 0.3f}), 4));

        ViridisTest.assertNear(png.getRGB(7, 7) & 0xFFFFFF, PURPLE);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> SimilarityMap.of(2, 2, new float[3])).hasMessageContaining("needs 4 values");
        assertThatThrownBy(() -> SimilarityMap.of(1, 2, new float[] {0, Float.NaN})).hasMessageContaining("finite");
        assertThatThrownBy(() -> renderer.mapPng(SimilarityMap.of(1, 1, new float[1]), 0))
                .hasMessageContaining("cellPixels");
        assertThatThrownBy(() -> renderer.mapPng(SimilarityMap.of(100, 1, new float[100]), 100))
                .hasMessageContaining("8192");
        assertThatThrownBy(() -> ColorScale.fixed(1, 1)).hasMessageContaining("lo < hi");
        assertThatThrownBy(() -> new HeatmapStyle(768, 1.5, ColorScale.auto())).hasMessageContaining("opacity");
    }

    /** The red, green or blue value (0..255) of pixel (x, y). */
    private static int sample(RgbImage image, int x, int y, int channel) {
        return image.rgb()[(y * image.width() + x) * 3 + channel] & 0xFF;
    }

    private static HeatmapStyle defaultsWith(ColorScale scale) {
        return new HeatmapStyle(768, HeatmapStyle.DEFAULT_OPACITY, scale);
    }
}
