package org.fgclip2.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fgclip2.model.checkpoint.Checkpoint;
import org.fgclip2.model.checkpoint.CheckpointException;
import org.fgclip2.model.checkpoint.HalfFloats;
import org.fgclip2.model.checkpoint.TensorDType;
import org.fgclip2.model.nn.WeightLoader;
import org.fgclip2.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void writesEveryKeyOfTheLayoutAndLoadingUsesExactlyThose() throws Exception {
        FgClip2Config tiny = ModelPresets.get("tiny");
        RandomCheckpoint.write(tmp, tiny, RandomCheckpoint.Options.DEFAULT);
        assertThat(FgClip2Config.load(tmp.resolve("config.json"))).isEqualTo(tiny);
        try (Checkpoint c = Checkpoint.open(tmp); NDManager m = NDManager.newBaseManager()) {
            assertThat(c.keys()).hasSize(41 + 16 * (2 + 3));
            WeightLoader loader = new WeightLoader(c, m, Precision.F32.dataType());
            FgClip2Model.load(tiny, loader);
            assertThat(loader.unusedKeys()).isEmpty();
        }
    }

    @Test
    void diffStyleConfigLoadsToTheSameConfiguration() throws Exception {
        FgClip2Config base = ModelPresets.get("base");
        String diff = ConfigJson.write(base, true);
        assertThat(diff).doesNotContain("hidden_size").doesNotContain("num_patches");
        Files.writeString(tmp.resolve("config.json"), diff);
        assertThat(FgClip2Config.load(tmp.resolve("config.json"))).isEqualTo(base);
    }

    @Test
    void bf16AndF16CheckpointsLoadWithoutTouchingDjlsBf16Path() throws Exception {
        FgClip2Config tiny = ModelPresets.get("tiny");
        Path f32 = tmp.resolve("f32");
        Path bf16 = tmp.resolve("bf16");
        Path f16 = tmp.resolve("f16");
        RandomCheckpoint.write(f32, tiny, RandomCheckpoint.Options.DEFAULT);
        RandomCheckpoint.write(bf16, tiny, new RandomCheckpoint.Options(42, TensorDType.BF16, false));
        RandomCheckpoint.write(f16, tiny, new RandomCheckpoint.Options(42, TensorDType.F16, false));
        try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            FgClip2Model reference = FgClip2Model.load(f32, m, Precision.F32);
            FgClip2Model fromBf16 = FgClip2Model.load(bf16, m, Precision.F32);
            FgClip2Model fromF16 = FgClip2Model.load(f16, m, Precision.F32);
            float[] ref = reference.boxtextHead().weight().toFloatArray();
            float[] widened = fromBf16.boxtextHead().weight().toFloatArray();
            float[] half = fromF16.boxtextHead().weight().toFloatArray();
            for (int i = 0; i < ref.length; i++) {
                assertThat(widened[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(ref[i])));
                assertThat(half[i]).isEqualTo(HalfFloats.f16ToFloat(HalfFloats.floatToF16(ref[i])));
            }
            NDArray ids = m.create(new long[64], new Shape(1, 64));
            float[] a = reference.textFeatures(ids, TextWalk.SHORT, null).toFloatArray();
            float[] b = fromBf16.textFeatures(ids, TextWalk.SHORT, null).toFloatArray();
            Tolerance.assertClose("bf16-rounded weights", b, a, 0.5);
        }
    }

    @Test
    void mismatchedConfigAndWeightsAreRefused() throws Exception {
        RandomCheckpoint.write(tmp, ModelPresets.get("tiny"), RandomCheckpoint.Options.DEFAULT);
        String config = Files.readString(tmp.resolve("config.json")).replace("\"intermediate_size\" : 64", "\"intermediate_size\" : 65");
        Files.writeString(tmp.resolve("config.json"), config);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> FgClip2Model.load(tmp, m, Precision.F32))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("do not belong together");
        }
    }

    @Test
    void halfFloatRoundTripIsExactForRepresentableValues() {
        for (float f : new float[] {0f, 1f, -2.5f, 65504f, 0x1p-24f, 0.333251953125f}) {
            assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))).isEqualTo(f);
        }
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e6f))).isInfinite();
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.00390625f))).isEqualTo(1f);
    }
}
