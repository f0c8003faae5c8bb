package org.fgclip2.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeluTanhTest {

    /** PyTorch's gelu(approximate='tanh'), in double. */
    private static double reference(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}]")
    @CsvSource({"1, 7, 5", "2, 64, 3072", "3, 97, 1000", "1, 1, 100000"})
    void matchesTheTanhApproximationWhetherSlicedOrNot(int a, int b, int c) {
        Random random = new Random(a * 31L + b * 7L + c);
        float[] values = new float[a * b * c];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 3);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(values, new Shape(a, b, c));
            NDArray y = GeluTanh.applyInPlace(x);
            assertThat(y).isSameAs(x);
            assertThat(y.getShape()).isEqualTo(new Shape(a, b, c));
            float[] out = y.toFloatArray();
            double worst = 0;
            for (int i = 0; i < values.length; i++) {
                worst = Math.max(worst, Math.abs(out[i] - reference(values[i])));
            }
            assertThat(worst).isLessThan(2e-6);
        }
    }
}
