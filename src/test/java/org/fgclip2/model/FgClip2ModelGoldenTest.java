package org.fgclip2.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.testing.Tolerance.assertGolden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.fgclip2.inference.RegionAlign;
import org.fgclip2.model.checkpoint.IntegerTensors;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model part of the port against the official outputs: fed the official token ids and pixel values, every
 * intermediate and final tensor must match within 1e-4.
 */
class FgClip2ModelGoldenTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    static Stream<Arguments> textCases() {
        List<Arguments> cases = new ArrayList<>();
        for (var dir : GoldenFixture.all()) {
            for (String walk : List.of("short", "box", "long")) {
                cases.add(Arguments.of(GoldenFixture.open(dir), walk));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> visionCases() {
        List<Arguments> cases = new ArrayList<>();
        for (var dir : GoldenFixture.all()) {
            GoldenFixture f = GoldenFixture.open(dir);
            f.json().get("vision").fieldNames().forEachRemaining(c -> cases.add(Arguments.of(f, c)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} text walk {1}")
    @MethodSource("textCases")
    void textTowerMatchesEveryOfficialTensor(GoldenFixture fixture, String walkName) throws Exception {
        TextWalk walk = TextWalk.parse(walkName);
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope();
             SafetensorsFile golden = fixture.tensors()) {
            scope.suppressNotUsedWarning();
            FgClip2Model model = FgClip2Model.load(fixture.dir(), m, Precision.F32);
            long[] ids = IntegerTensors.read(golden, "text/" + walkName + "/input_ids");
            int length = walk.tokenLength(model.config().text());
            NDArray input = m.create(ids, new Shape(ids.length / length, length));

            assertGolden("embeddings", model.textModel().embeddings().forward(input, walk).toFloatArray(),
                    golden.floats("text/" + walkName + "/embeddings"));
            NDArray hidden = model.textModel().lastHiddenState(input, walk, null);
            assertGolden("last_hidden_state", hidden.toFloatArray(), golden.floats("text/" + walkName + "/last_hidden_state"));
            assertGolden("pooler_output", model.textModel().pooledOutput(hidden, walk).toFloatArray(),
                    golden.floats("text/" + walkName + "/pooler_output"));
            NDArray features = model.textFeatures(input, walk, null);
            assertGolden("features", features.toFloatArray(), golden.floats("text/" + walkName + "/features"));
            assertGolden("features_norm", l2n(features).toFloatArray(), golden.floats("text/" + walkName + "/features_norm"));
        }
    }

    @ParameterizedTest(name = "{0} text walk short with attention mask")
    @MethodSource("org.fgclip2.testing.GoldenFixtures#each")
    void attentionMaskSwitchesToTheMaskedResult(GoldenFixture fixture) throws Exception {
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope();
             SafetensorsFile golden = fixture.tensors()) {
            scope.suppressNotUsedWarning();
            FgClip2Model model = FgClip2Model.load(fixture.dir(), m, Precision.F32);
            long[] ids = IntegerTensors.read(golden, "text/short/input_ids");
            long[] mask = IntegerTensors.read(golden, "text/short/attention_mask");
            int length = model.config().text().maxPositionEmbeddings();
            int rows = ids.length / length;
            int[] valid = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < length; t++) {
                    valid[r] += (int) mask[r * length + t];
                }
            }
            NDArray features = model.textFeatures(m.create(ids, new Shape(rows, length)), TextWalk.SHORT,
                    KeyMask.bias(m, valid, length));
            assertGolden("short_masked features", features.toFloatArray(), golden.floats("text/short_masked/features"));
        }
    }

    @ParameterizedTest(name = "{0} vision case {1}")
    @MethodSource("visionCases")
    void visionTowerAndHeadsMatchEveryOfficialTensor(GoldenFixture fixture, String visionCase) throws Exception {
        String p = "vision/" + visionCase + "/";
        JsonNode images = fixture.json().get("vision").get(visionCase).get("images");
        List<String> names = new ArrayList<>();
        images.fieldNames().forEachRemaining(names::add);
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope();
             SafetensorsFile golden = fixture.tensors()) {
            scope.suppressNotUsedWarning();
            FgClip2Model model = FgClip2Model.load(fixture.dir(), m, Precision.F32);
            long[] shapeInfo = golden.info(p + "pixel_values").shape();
            int batch = (int) shapeInfo[0];
            int padded = (int) shapeInfo[1];
            int dim = model.config().embeddingSize();
            NDArray pixels = m.create(golden.floats(p + "pixel_values"), new Shape(shapeInfo));
            long[] spatial = IntegerTensors.read(golden, p + "spatial_shapes");
            int[][] shapes = new int[batch][];
            int[] valid = new int[batch];
            for (int b = 0; b < batch; b++) {
                shapes[b] = new int[] {(int) spatial[2 * b], (int) spatial[2 * b + 1]};
                valid[b] = shapes[b][0] * shapes[b][1];
            }
            NDArray bias = KeyMask.bias(m, valid, padded);

            assertGolden("embeddings", model.visionModel().embeddings().forward(pixels, shapes).toFloatArray(),
                    golden.floats(p + "embeddings"));
            NDArray hidden = model.visionHiddenState(pixels, shapes, bias);
            assertGolden("last_hidden_state", hidden.toFloatArray(), golden.floats(p + "last_hidden_state"));
            NDArray imageFeatures = model.imageFeatures(hidden, bias);
            assertGolden("image_features", imageFeatures.toFloatArray(), golden.floats(p + "image_features"));
            NDArray imageNorm = l2n(imageFeatures);
            assertGolden("image_features_norm", imageNorm.toFloatArray(), golden.floats(p + "image_features_norm"));
            float[] dense = model.denseFeatures(hidden, bias).toFloatArray();
            assertGolden("dense_features", dense, golden.floats(p + "dense_features"));

            NDArray boxText = l2n(m.create(golden.floats("text/box/features"),
                    new Shape(golden.info("text/box/features").shape())));
            for (int b = 0; b < batch; b++) {
                int h = shapes[b][0];
                int w = shapes[b][1];
                float[] rows = Arrays.copyOfRange(dense, b * padded * dim, (b * padded + h * w) * dim);
                NDArray map = l2n(m.create(rows, new Shape(h * w, dim)));
                // [h·w, T] → per caption a (h, w) map: golden layout is [T, h, w]
                float[] similarity = map.matMul(boxText.transpose()).transpose().toFloatArray();
                assertGolden("dense_similarity " + names.get(b), similarity,
                        golden.floats(p + "dense_similarity/" + names.get(b)));

                JsonNode info = images.get(names.get(b));
                JsonNode boxes = info.get("region_boxes_xyxy");
                float[] expected = golden.floats(p + "region_features/" + names.get(b));
                float[] actual = new float[boxes.size() * dim];
                for (int r = 0; r < boxes.size(); r++) {
                    double[] box = new double[4];
                    for (int i = 0; i < 4; i++) {
                        box[i] = boxes.get(r).get(i).asDouble();
                    }
                    float[] pooled = RegionAlign.pool(rows, h, w, dim, box,
                            info.get("original_hw").get(1).asInt(), info.get("original_hw").get(0).asInt());
                    System.arraycopy(pooled, 0, actual, r * dim, dim);
                }
                assertGolden("region_features " + names.get(b), actual, expected);
                assertGolden("region_features_norm " + names.get(b),
                        l2n(m.create(actual, new Shape(boxes.size(), dim))).toFloatArray(),
                        golden.floats(p + "region_features_norm/" + names.get(b)));
            }

            for (String walk : List.of("short", "box", "long")) {
                NDArray text = l2n(m.create(golden.floats("text/" + walk + "/features"),
                        new Shape(golden.info("text/" + walk + "/features").shape())));
                NDArray logits = imageNorm.matMul(text.transpose()).mul((float) Math.exp(model.logitScale()))
                        .add(model.logitBias());
                assertGolden("logits " + walk, logits.toFloatArray(), golden.floats(p + "logits_per_image/" + walk));
                assertGolden("probs " + walk, logits.getNDArrayInternal().sigmoid().toFloatArray(),
                        golden.floats(p + "probs/" + walk));
            }
            assertThat(model.logitScale()).isEqualTo(golden.floats("logit_scale")[0]);
        }
    }

    private static NDArray l2n(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true));
    }
}
