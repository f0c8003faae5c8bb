package org.fgclip2.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.testing.Tolerance.assertClose;
import static org.fgclip2.testing.Tolerance.assertGolden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.RgbImage;
import org.fgclip2.model.Precision;
import org.fgclip2.model.TextWalk;
import org.fgclip2.model.checkpoint.IntegerTensors;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.preprocess.PatchedImage;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole path a user runs — caption text and image files in, features out — against the official outputs:
 * tokenizer, decoder, Pillow-exact preprocessing and the model together, through the batched API.
 */
class FgClip2InferenceGoldenTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fgclip2.testing.GoldenFixtures#each")
    void captionsInEmbeddingsOut(GoldenFixture fixture) throws Exception {
        List<String> captions = new ArrayList<>();
        fixture.json().get("text").get("captions").forEach(c -> captions.add(c.asText()));
        try (FgClip2Inference inference = FgClip2Inference.load(fixture.dir(), "fixture",
                InferenceOptions.on(DeviceSpec.CPU, Precision.F32)); SafetensorsFile golden = fixture.tensors()) {
            for (TextWalk walk : TextWalk.values()) {
                TextEncoding e = inference.embedTexts(captions, walk);
                assertThat(e.tokens().inputIds())
                        .containsExactly(IntegerTensors.read(golden, "text/" + walk.id() + "/input_ids"));
                assertGolden(walk + " features_norm", flat(e.normalized()),
                        golden.floats("text/" + walk.id() + "/features_norm"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.fgclip2.testing.GoldenFixtures#each")
    void imageFilesInEmbeddingsDenseMapsAndScoresOut(GoldenFixture fixture) throws Exception {
        JsonNode vision = fixture.json().get("vision");
        List<String> captions = new ArrayList<>();
        fixture.json().get("text").get("captions").forEach(c -> captions.add(c.asText()));
        ImageDecoder decoder = TestImages.decoder();
        try (FgClip2Inference inference = FgClip2Inference.load(fixture.dir(), "fixture",
                InferenceOptions.on(DeviceSpec.CPU, Precision.F32)); SafetensorsFile golden = fixture.tensors()) {
            TextEncoding box = inference.embedTexts(captions, TextWalk.BOX);
            for (var cases = vision.fields(); cases.hasNext(); ) {
                var visionCase = cases.next();
                String p = "vision/" + visionCase.getKey() + "/";
                JsonNode kwargs = visionCase.getValue().get("processor_kwargs");
                List<String> names = new ArrayList<>();
                visionCase.getValue().get("images").fieldNames().forEachRemaining(names::add);
                List<PatchedImage> images = new ArrayList<>();
                for (String name : names) {
                    RgbImage rgb = decoder.decode(Files.readAllBytes(fixture.image(name)));
                    boolean dynamic = kwargs.path("dynamic_max_patches").asBoolean(true);
                    images.add(dynamic ? inference.imageProcessor().preprocess(rgb)
                            : inference.imageProcessor().preprocess(rgb, kwargs.get("max_num_patches").asInt()));
                }
                try (ImageBatchEncoding encoding = inference.encodeImages(images)) {
                    assertGolden(p + "image_features_norm", flat(encoding.embeddings()),
                            golden.floats(p + "image_features_norm"));
                    List<DenseMap> maps = encoding.denseMaps(0, 1, 2);
                    for (int b = 0; b < names.size(); b++) {
                        DenseMap map = maps.get(b);
                        float[] expected = golden.floats(p + "dense_similarity/" + names.get(b));
                        int cells = map.grid().patchCount();
                        for (int t = 0; t < captions.size(); t++) {
                            assertGolden(p + "dense_similarity " + names.get(b) + " caption " + t,
                                    map.similarity(box.normalized()[t]),
                                    Arrays.copyOfRange(expected, t * cells, (t + 1) * cells));
                        }
                    }
                    for (TextWalk walk : TextWalk.values()) {
                        TextEncoding text = inference.embedTexts(captions, walk);
                        float[] probs = new float[names.size() * captions.size()];
                        for (int i = 0; i < names.size(); i++) {
                            for (int t = 0; t < captions.size(); t++) {
                                probs[i * captions.size() + t] = (float) inference.scoring().probability(
                                        Vectors.dot(encoding.embeddings()[i], text.normalized()[t]));
                            }
                        }
                        assertGolden(p + "probs " + walk, probs, golden.floats(p + "probs/" + walk.id()));
                    }
                }
            }
        }
    }

    @Test
    void halfPrecisionStaysCloseToTheReference() throws Exception {
        GoldenFixture fixture = GoldenFixture.publicTiny();
        List<String> captions = new ArrayList<>();
        fixture.json().get("text").get("captions").forEach(c -> captions.add(c.asText()));
        try (FgClip2Inference inference = FgClip2Inference.load(fixture.dir(), "fixture",
                InferenceOptions.on(DeviceSpec.CPU, Precision.F16));
             SafetensorsFile golden = fixture.tensors()) {
            TextEncoding text = inference.embedTexts(captions, TextWalk.SHORT);
            assertClose("f16 short features_norm", flat(text.normalized()),
                    golden.floats("text/short/features_norm"), 2e-2);
            List<PatchedImage> images = new ArrayList<>();
            for (String name : List.of("img0_160x90", "img1_33x77", "img2_190x176")) {
                RgbImage rgb = TestImages.decoder().decode(Files.readAllBytes(fixture.image(name)));
                images.add(inference.imageProcessor().preprocess(rgb));
            }
            assertClose("f16 image features_norm", flat(inference.embedImages(images)),
                    golden.floats("vision/dynamic/image_features_norm"), 2e-2);
        }
    }

    static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }
}
