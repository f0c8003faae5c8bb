package org.fgclip2.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RgbImageTest {

    @Test
    void pixelsAreInterleavedRowMajor() {
        RgbImage image = new RgbImage(2, 1, new byte[] {1, 2, 3, (byte) 250, 5, 6});

        assertThat(image.rgb()[(0 * 2 + 1) * 3] & 0xFF).as("red of pixel (1, 0)").isEqualTo(250);
        assertThat(image.rgb()[(0 * 2 + 0) * 3 + 2] & 0xFF).as("blue of pixel (0, 0)").isEqualTo(3);
        assertThat(image).isEqualTo(new RgbImage(2, 1, new byte[] {1, 2, 3, (byte) 250, 5, 6}));
        assertThat(image).hasToString("RgbImage[2x1]");
    }

    @Test
    void sizeAndArrayMustAgree() {
        assertThatThrownBy(() -> new RgbImage(2, 2, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 12 bytes, got 11");
        assertThatThrownBy(() -> new RgbImage(0, 2, new byte[0])).hasMessageContaining("0x2");
        assertThatThrownBy(() -> new RgbImage(1, 1, null)).hasMessageContaining("null");
    }
}
