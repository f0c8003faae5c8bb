package org.fgclip2.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fgclip2.image.RgbImage;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.Precision;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.model.TextWalk;
import org.fgclip2.preprocess.PatchedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every batch frees what it allocated: nothing accumulates on the model's manager over many batches. */
class NativeMemoryTest {

    @TempDir
    Path tmp;

    @Test
    void thousandsOfBatchesLeaveNoArraysBehind() throws Exception {
        RandomCheckpoint.write(tmp, ModelPresets.get("tiny"), RandomCheckpoint.Options.DEFAULT);
        InferenceOptions cpu = InferenceOptions.on(DeviceSpec.CPU, Precision.F32);
        try (FgClip2Inference inference = FgClip2Inference.load(tmp, "tiny", cpu)) {
            List<PatchedImage> images = new ArrayList<>();
            int[][] sizes = {{40, 30}, {17, 90}, {64, 64}};
            for (int[] s : sizes) {
                images.add(inference.imageProcessor().preprocess(new RgbImage(s[0], s[1], new byte[s[0] * s[1] * 3])));
            }
            int before = inference.liveModelArrays();
            for (int i = 0; i < 1000; i++) {
                try (ImageBatchEncoding batch = inference.encodeImages(images)) {
                    batch.denseMaps(i % 3);
                }
                inference.embedTexts(List.of("a cat", "一只猫"), TextWalk.values()[i % 3]);
            }
            assertThat(inference.liveModelArrays()).isEqualTo(before);
        }
    }
}
