package org.fgclip2.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.Test;

class ImageProcessorConfigTest {

    @Test
    void fixtureConfigHoldsTheOfficialDefaults() throws IOException {
        ImageProcessorConfig config = ImageProcessorConfig.load(GoldenFixture.BUNDLED.resolve("preprocessor_config.json"));

        assertThat(config).isEqualTo(ImageProcessorConfig.defaults());
        assertThat(config.patchSize()).isEqualTo(16);
        assertThat(config.maxNumPatches()).isEqualTo(256);
        assertThat(config.dynamicMaxPatches()).isTrue();
        assertThat(config.rescaleFactor()).isEqualTo(1 / 255.0);
        assertThat(config.imageMean()).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void missingAndNullKeysTakeTheDefaults() {
        assertThat(ImageProcessorConfig.fromJson("{}")).isEqualTo(ImageProcessorConfig.defaults());
        assertThat(ImageProcessorConfig.fromJson("{\"max_num_patches\": null, \"do_convert_rgb\": null}"))
                .isEqualTo(ImageProcessorConfig.defaults());
    }

    @Test
    void readsEveryImplementedKey() {
        ImageProcessorConfig config = ImageProcessorConfig.fromJson("""
                {"patch_size": 14, "max_num_patches": 1024, "dynamic_max_patches": false, "do_rescale": true,
                 "rescale_factor": 0.5, "do_normalize": false, "image_mean": 0.25, "image_std": [1, 2, 3],
                 "resample": 2, "do_resize": true, "size": {"height": 224}}""");

        assertThat(config).isEqualTo(new ImageProcessorConfig(14, 1024, false, true, 0.5, false,
                List.of(0.25, 0.25, 0.25), List.of(1.0, 2.0, 3.0)));
    }

    @Test
    void siglip2ProcessorsHaveNoDynamicBucket() {
        assertThat(ImageProcessorConfig.fromJson("{\"image_processor_type\": \"Siglip2ImageProcessor\"}")
                .dynamicMaxPatches()).isFalse();
        assertThat(ImageProcessorConfig.fromJson("{\"image_processor_type\": \"Fgclip2ImageProcessorFast\"}")
                .dynamicMaxPatches()).isTrue();
    }

    @Test
    void refusesWhatIsNotImplemented() {
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"resample\": 3}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resample=3 is not implemented");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"do_resize\": false}"))
                .hasMessageContaining("do_resize=false is not implemented");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"image_processor_type\": \"CLIPImageProcessor\"}"))
                .hasMessageContaining("CLIPImageProcessor is not supported");
    }

    @Test
    void refusesMalformedValues() {
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"patch_size\": ")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"patch_size\": 16.5}"))
                .hasMessageContaining("patch_size must be an integer");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"max_num_patches\": 0}"))
                .hasMessageContaining("max_num_patches must be positive");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"image_std\": [0.5, 0, 0.5]}"))
                .hasMessageContaining("non-zero");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"image_mean\": [0.5, 0.5]}"))
                .hasMessageContaining("3 values");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson("{\"dynamic_max_patches\": \"yes\"}"))
                .hasMessageContaining("true or false");
    }
}
