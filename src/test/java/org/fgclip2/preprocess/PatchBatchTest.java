package org.fgclip2.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchBatchTest {

    private static PatchedImage image(int rows, int cols, float value) {
        float[] patches = new float[rows * cols * 2];
        Arrays.fill(patches, value);
        return new PatchedImage(new PatchGrid(rows, cols), 2, patches, 10, 10);
    }

    @Test
    void padsEveryImageToTheLengthWithZerosAndKeepsEachGrid() {
        PatchBatch batch = PatchBatch.pad(List.of(image(1, 2, 7f), image(3, 1, 9f)), 4);

        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.length()).isEqualTo(4);
        assertThat(batch.patchDim()).isEqualTo(2);
        assertThat(batch.pixelValues()).containsExactly(7, 7, 7, 7, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 0, 0);
        assertThat(batch.spatialShapes()).containsExactly(1, 2, 3, 1);
    }

    @Test
    void defaultLengthIsTheLargestPatchCount() {
        assertThat(PatchBatch.pad(List.of(image(1, 2, 1f), image(3, 1, 1f))).length()).isEqualTo(3);
    }

    @Test
    void refusesImagesThatDoNotFit() {
        assertThatThrownBy(() -> PatchBatch.pad(List.of(image(3, 3, 1f)), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the padded length 8");
        assertThatThrownBy(() -> PatchBatch.pad(List.of(), 8)).hasMessageContaining("empty");
        PatchedImage other = new PatchedImage(new PatchGrid(1, 1), 3, new float[3], 1, 1);
        assertThatThrownBy(() -> PatchBatch.pad(List.of(image(1, 1, 1f), other), 2))
                .hasMessageContaining("different patch sizes");
    }
}
