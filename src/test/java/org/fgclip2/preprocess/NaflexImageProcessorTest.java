package org.fgclip2.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fgclip2.image.PillowResize;
import org.fgclip2.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NaflexImageProcessorTest {

    private final NaflexImageProcessor processor = new NaflexImageProcessor(ImageProcessorConfig.defaults());

    /**
     * Examples computed with the official Python code: {@code Fgclip2ImageProcessor} in the official
     * {@code image_processing_fgclip2.py}, with the dynamic patch budget (the image's own bucket).
     */
    @ParameterizedTest(name = "{0}x{1} -> bucket {2} -> {3}x{4} patches")
    @CsvSource({
        "640, 480, 1024, 27, 36",
        "1920, 1080, 1024, 24, 42",
        "224, 224, 256, 16, 16",
        "500, 375, 784, 24, 32",
        "300, 200, 256, 13, 19",
        "100, 1000, 576, 72, 8",
        "33, 77, 128, 17, 7",
    })
    void targetSizeFollowsTheOfficialBinarySearch(int width, int height, int bucket, int rows, int cols) {
        assertThat(processor.dynamicBudget(width, height)).isEqualTo(bucket);
        assertThat(processor.targetGrid(width, height, bucket)).isEqualTo(new PatchGrid(rows, cols));
    }

    @ParameterizedTest(name = "{0}x{1}: {2} whole patches -> bucket {3}")
    @CsvSource({
        "256, 128, 128, 128",
        "48, 688, 129, 256",
        "256, 256, 256, 256",
        "4112, 16, 257, 576",
        "384, 384, 576, 576",
        "9232, 16, 577, 784",
        "448, 448, 784, 784",
        "80, 2512, 785, 1024",
        "271, 143, 128, 128",
        "15, 4000, 0, 128",
    })
    void dynamicBucketCountsWholePatchesOfTheOriginal(int width, int height, int wholePatches, int bucket) {
        assertThat((width / 16) * (height / 16)).isEqualTo(wholePatches);
        assertThat(processor.dynamicBudget(width, height)).isEqualTo(bucket);
    }

    @Test
    void targetGridNeverExceedsTheBudgetAndKeepsTheAspectRatio() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int width = 1 + random.nextInt(random.nextBoolean() ? 64 : 5000);
            int height = 1 + random.nextInt(random.nextBoolean() ? 64 : 5000);
            int budget = 1 + random.nextInt(1100);
            PatchGrid grid = processor.targetGrid(width, height, budget);
            assertThat(grid.patchCount()).as("%dx%d at %d", width, height, budget).isLessThanOrEqualTo(budget);
            // each side is ceil(side·scale / 16) patches for one common scale, so the grid keeps the aspect
            // ratio up to that rounding
            if (grid.width() > 1 && grid.height() > 1) {
                double aspect = (double) width / height;
                assertThat(aspect).as("%dx%d at %d -> %s", width, height, budget, grid)
                        .isStrictlyBetween((grid.width() - 1.0) / grid.height(), grid.width() / (grid.height() - 1.0));
            }
        }
    }

    @Test
    void defaultBudgetIsTheImagesOwnBucketOrTheFixedBudget() {
        NaflexImageProcessor fixed = new NaflexImageProcessor(new ImageProcessorConfig(16, 64, false, true,
                1 / 255.0, true, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5)));

        assertThat(processor.defaultBudget(33, 77)).isEqualTo(128);
        assertThat(processor.defaultBudget(1920, 1080)).isEqualTo(1024);
        assertThat(fixed.defaultBudget(1920, 1080)).isEqualTo(64);
        assertThat(processor.preprocess(gradient(33, 77)).grid()).isEqualTo(new PatchGrid(17, 7));
        assertThat(fixed.preprocess(gradient(33, 77)).grid()).isEqualTo(new PatchGrid(12, 5));
    }

    @Test
    void patchesAreRowMajorWithValuesInRowColumnChannelOrder() {
        // 32x32 under a budget of 4 is not resized: a 2x2 grid of the original pixels
        RgbImage image = gradient(32, 32);

        PatchedImage patched = processor.preprocess(image, 4);

        assertThat(patched.grid()).isEqualTo(new PatchGrid(2, 2));
        assertThat(patched.patchDim()).isEqualTo(768);
        for (int patch = 0; patch < 4; patch++) {
            for (int py = 0; py < 16; py++) {
                for (int px = 0; px < 16; px++) {
                    for (int c = 0; c < 3; c++) {
                        int x = (patch % 2) * 16 + px;
                        int y = (patch / 2) * 16 + py;
                        float expected = officialNormalize(sample(image, x, y, c));
                        assertThat(patched.patches()[patch * 768 + (py * 16 + px) * 3 + c])
                                .as("patch %d py %d px %d c %d", patch, py, px, c).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void normalisationUsesTheConfiguredMeanAndStdPerChannel() {
        ImageProcessorConfig clip = new ImageProcessorConfig(16, 1, false, true, 1 / 255.0, true,
                List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711));
        RgbImage grey = new RgbImage(16, 16, filled(16 * 16 * 3, (byte) 200));

        float[] patch = new NaflexImageProcessor(clip).preprocess(grey).patches();

        for (int c = 0; c < 3; c++) {
            float x = (float) (200 * (1 / 255.0));
            float expected = (x - clip.imageMean().get(c).floatValue()) / clip.imageStd().get(c).floatValue();
            assertThat(patch[c]).isEqualTo(expected);
        }
    }

    @Test
    void upScalesSmallImagesWithPillowsFilter() {
        RgbImage image = gradient(33, 77);

        PatchedImage patched = processor.preprocess(image, 128);

        RgbImage resized = PillowResize.resize(image, 7 * 16, 17 * 16);
        assertThat(patched.patches()[0]).isEqualTo(officialNormalize(sample(resized, 0, 0, 0)));
        int lastPatch = patched.patchCount() - 1;
        assertThat(patched.patches()[lastPatch * 768 + 767])
                .isEqualTo(officialNormalize(sample(resized, 7 * 16 - 1, 17 * 16 - 1, 2)));
        assertThat(patched.originalWidth()).isEqualTo(33);
        assertThat(patched.originalHeight()).isEqualTo(77);
    }

    @Test
    void rejectsNonPositiveBudgets() {
        assertThatThrownBy(() -> processor.preprocess(gradient(4, 4), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }

    /** The slow path's precision order: rescale in double, round to float, normalise in float. */
    private static float officialNormalize(int u) {
        float x = (float) (u * (1.0 / 255.0));
        return (x - 0.5f) / 0.5f;
    }

    static RgbImage gradient(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * width + x) * 3 + c] = (byte) (x * 7 + y * 13 + c * 50);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }

    /** The red, green or blue value (0..255) of pixel (x, y). */
    private static int sample(RgbImage image, int x, int y, int channel) {
        return image.rgb()[(y * image.width() + x) * 3 + channel] & 0xFF;
    }
}
