package org.fgclip2.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path tmp;

    @Test
    void readsEveryTensorOfThePublicCheckpoint() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(GoldenFixture.BUNDLED.resolve("model.safetensors"))) {
            assertThat(f.tensors()).hasSize(137);
            TensorInfo token = f.info("text_model.embeddings.token_embedding.weight");
            assertThat(token.dtype()).isEqualTo(TensorDType.F32);
            assertThat(token.shape()).containsExactly(400, 48);
            assertThat(f.floats("logit_scale")).hasSize(1);
        }
    }

    @Test
    void goldenIntegersAndFloatsAgreeWithTheJsonCopies() throws IOException {
        GoldenFixture g = GoldenFixture.publicTiny();
        try (SafetensorsFile f = g.tensors()) {
            long[] ids = IntegerTensors.read(f, "text/short/input_ids");
            var jsonIds = g.json().get("text").get("short").get("input_ids");
            for (int c = 0; c < 7; c++) {
                for (int t = 0; t < 64; t++) {
                    assertThat(ids[c * 64 + t]).isEqualTo(jsonIds.get(c).get(t).asLong());
                }
            }
            assertThat(f.floats("logit_scale")[0]).isEqualTo((float) g.json().get("logit_scale").asDouble());
        }
    }

    @Test
    void halfPrecisionWidensExactly() {
        assertThat(HalfFloats.f16ToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(HalfFloats.f16ToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat((short) 0x7E00)).isNaN();
        assertThat(HalfFloats.bf16ToFloat((short) 0x3F80)).isEqualTo(1f);
        assertThat(HalfFloats.bf16ToFloat((short) 0xC0A0)).isEqualTo(-5f);
    }

    @Test
    void truncatedFileIsRejectedWithAClearMessage() throws IOException {
        byte[] whole = Files.readAllBytes(GoldenFixture.BUNDLED.resolve("model.safetensors"));
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
        assertThatThrownBy(() -> SafetensorsFile.open(cut))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("truncated");
    }

    @Test
    void notASafetensorsFile() throws IOException {
        Path junk = tmp.resolve("junk.safetensors");
        Files.writeString(junk, "<html>404 not found</html>");
        assertThatThrownBy(() -> SafetensorsFile.open(junk))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("not a safetensors file");
    }

    @Test
    void inconsistentShapeAndLengthIsRejected() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Path bad = tmp.resolve("bad.safetensors");
        Files.write(bad, buf.array());
        assertThatThrownBy(() -> SafetensorsFile.open(bad))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("needs 12 bytes but has 8");
    }
}
