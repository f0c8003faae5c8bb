package org.fgclip2.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.RgbImage;
import org.fgclip2.model.checkpoint.IntegerTensors;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The processor output of every golden fixture case ({@code vision/<case>/pixel_values}, mask, spatial shapes),
 * made by the official slow {@code Fgclip2ImageProcessor} with Pillow 9.4, must be reproduced exactly.
 */
class GoldenPreprocessTest {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path dir : GoldenFixture.all()) {
            GoldenFixture fixture = GoldenFixture.open(dir);
            for (Iterator<String> it = fixture.json().get("vision").fieldNames(); it.hasNext(); ) {
                cases.add(Arguments.of(fixture, it.next()));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void processorOutputIsBitIdentical(GoldenFixture fixture, String caseName) throws IOException {
        JsonNode golden = fixture.json().get("vision").get(caseName);
        NaflexImageProcessor processor = new NaflexImageProcessor(configWithKwargs(fixture.dir(), golden));
        List<String> names = new ArrayList<>();
        golden.get("images").fieldNames().forEachRemaining(names::add);
        ImageDecoder decoder = TestImages.decoder();
        List<RgbImage> images = new ArrayList<>();
        for (String name : names) {
            images.add(decoder.decode(Files.readAllBytes(fixture.image(name))));
        }

        // The fixture was made with the official batch semantics: every image resized against the largest
        // bucket of the batch (the product resizes each image against its own; see NaflexImageProcessor).
        int budget = images.stream()
                .mapToInt(i -> processor.defaultBudget(i.width(), i.height())).max().orElseThrow();
        List<PatchedImage> patched = images.stream().map(i -> processor.preprocess(i, budget)).toList();
        PatchBatch batch = PatchBatch.pad(patched, golden.get("max_num_patches").asInt());

        String prefix = "vision/" + caseName + "/";
        try (SafetensorsFile tensors = fixture.tensors()) {
            assertThat(batch.spatialShapes())
                    .containsExactly(IntegerTensors.read(tensors, prefix + "spatial_shapes"));
            // The model masks padding by the spatial shapes alone; that is only right if the official mask says so.
            assertThat(maskFromSpatialShapes(batch))
                    .containsExactly(toInts(IntegerTensors.read(tensors, prefix + "pixel_attention_mask")));
            float[] expected = tensors.floats(prefix + "pixel_values");
            assertThat(expected).hasSameSizeAs(batch.pixelValues());
            assertThat(firstBitDifference(batch.pixelValues(), expected)).isEqualTo("none");
        }
        for (int i = 0; i < names.size(); i++) {
            JsonNode image = golden.get("images").get(names.get(i));
            assertThat(patched.get(i).originalHeight()).isEqualTo(image.get("original_hw").get(0).asInt());
            assertThat(patched.get(i).originalWidth()).isEqualTo(image.get("original_hw").get(1).asInt());
        }
    }

    /** The fixture's preprocessor_config.json with the case's processor call arguments laid over it. */
    private static ImageProcessorConfig configWithKwargs(Path dir, JsonNode golden) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode config = (ObjectNode) mapper.readTree(Files.readString(dir.resolve("preprocessor_config.json")));
        config.setAll((ObjectNode) golden.get("processor_kwargs"));
        return ImageProcessorConfig.fromJson(mapper.writeValueAsString(config));
    }

    /** 1 for each image's first h·w patches, 0 for the padding after them. */
    private static int[] maskFromSpatialShapes(PatchBatch batch) {
        int[] mask = new int[batch.batchSize() * batch.length()];
        for (int b = 0; b < batch.batchSize(); b++) {
            int real = Math.toIntExact(batch.spatialShapes()[2 * b] * batch.spatialShapes()[2 * b + 1]);
            Arrays.fill(mask, b * batch.length(), b * batch.length() + real, 1);
        }
        return mask;
    }

    private static int[] toInts(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
    }

    private static String firstBitDifference(float[] actual, float[] expected) {
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                return "index " + i + ": " + actual[i] + " instead of " + expected[i];
            }
        }
        return "none";
    }
}
