package org.fgclip2.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.ThreadMXBean;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private static final Path CASES = PillowReferences.PILLOW.resolve("decode");
    private final ImageDecoder decoder = TestImages.decoder();

    static List<Arguments> pillowCases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : PillowReferences.json(CASES.resolve("manifest.json"))) {
            cases.add(Arguments.of(c.get("input").asText(), c.get("expected").asText(), c.get("exact").asBoolean(),
                    c.get("note").asText()));
        }
        return cases;
    }

    /** Pillow's {@code Image.open(f).convert("RGB")} ({@code exif_transpose} first for the exif_* files). */
    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("pillowCases")
    void decodesLikePillow(String input, String expectedFile, boolean exact, String note) {
        RgbImage expected = PillowReferences.png(CASES.resolve(expectedFile));

        RgbImage decoded = decoder.decode(PillowReferences.bytes(CASES.resolve(input)));

        assertThat(decoded.width()).isEqualTo(expected.width());
        assertThat(decoded.height()).isEqualTo(expected.height());
        if (exact) {
            assertThat(decoded.equals(expected)).as(PillowReferences.firstDifference(decoded, expected)).isTrue();
        } else {
            // lossy WebP: TwelveMonkeys 3.14's VP8 decoder has known prediction bugs (fixed after 3.14)
            assertThat(PillowReferences.meanAbsDifference(decoded, expected)).isLessThan(8.0);
        }
    }

    @Test
    void exifOrientationCanBeLeftAsStored() {
        ImageDecoder asStored = new ImageDecoder(new AppConfig(Map.of()).imageLimits(), false);
        byte[] rotated = PillowReferences.bytes(CASES.resolve("exif_jpeg_orientation6.jpg"));

        RgbImage stored = asStored.decode(rotated);
        RgbImage upright = decoder.decode(rotated);

        assertThat(stored.width()).isEqualTo(48);
        assertThat(stored.height()).isEqualTo(32);
        assertThat(upright.width()).isEqualTo(32);
        assertThat(upright.height()).isEqualTo(48);
        assertThat(stored).isEqualTo(asStored.decode(PillowReferences.bytes(CASES.resolve("exif_jpeg_orientation1.jpg"))));
    }

    @Test
    void bytesAfterTheEndOfTheImageAreIgnored() {
        for (String file : List.of("jpeg_420.jpg", "png_rgb8.png", "gif_palette.gif")) {
            byte[] whole = PillowReferences.bytes(CASES.resolve(file));
            byte[] padded = Arrays.copyOf(whole, whole.length + 300);
            Arrays.fill(padded, whole.length, padded.length, (byte) 0x5A);

            assertThat(decoder.decode(padded)).as(file).isEqualTo(decoder.decode(whole));
        }
    }

    @Test
    void emptyInputIsRejected() {
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> decoder.decode(null))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("empty");
    }

    @Test
    void nonImagesAreRejectedWithWhatTheyStartWith() {
        byte[] html = "<html><body>not found</body></html>".getBytes(StandardCharsets.US_ASCII);
        byte[] random = new byte[1000];
        new Random(1).nextBytes(random);
        random[0] = 0x12;

        assertThatThrownBy(() -> decoder.decode(html)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("not a recognised image").hasMessageContaining("3c 68 74 6d 6c");
        assertThatThrownBy(() -> decoder.decode(random)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("supported formats: JPEG, PNG, GIF, BMP, WebP");
    }

    @Test
    void knownUnsupportedFormatsAreNamed() {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};

        assertThatThrownBy(() -> decoder.decode(tiff)).hasMessageContaining("TIFF");
        assertThatThrownBy(() -> decoder.decode(heic)).hasMessageContaining("'heic'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg_420.jpg", "jpeg_progressive.jpg", "jpeg_cmyk.jpg", "png_rgb8.png",
        "png_interlaced.png", "png_rgb16.png", "gif_palette.gif", "bmp_rgb24.bmp", "webp_lossy_rgb.webp",
        "webp_lossless_rgb.webp", "webp_lossless_rgba.webp"})
    void truncatedDataIsAnError(String file) {
        byte[] whole = PillowReferences.bytes(CASES.resolve(file));
        for (double kept : new double[] {0.05, 0.5, 0.9}) {
            byte[] truncated = Arrays.copyOf(whole, (int) (whole.length * kept));

            Throwable thrown = catchThrowable(() -> decoder.decode(truncated));

            assertThat(thrown).as("%s cut to %d of %d bytes", file, truncated.length, whole.length)
                    .isInstanceOf(ImageDecodeException.class);
            assertThat(thrown.getMessage()).containsAnyOf("truncated", "corrupt");
        }
    }

    /** Random damage must end in a decoded image or an ImageDecodeException, never in another exception. */
    @ParameterizedTest
    @ValueSource(strings = {"jpeg_420.jpg", "jpeg_progressive.jpg", "jpeg_cmyk.jpg", "exif_jpeg_orientation6.jpg",
        "png_palette4.png", "png_interlaced.png", "gif_animated.gif", "bmp_565.bmp", "webp_lossy_rgba.webp",
        "webp_lossless_rgba.webp"})
    void corruptDataNeverEscapesAsAnotherException(String file) {
        byte[] whole = PillowReferences.bytes(CASES.resolve(file));
        Random random = new Random(file.hashCode());
        for (int trial = 0; trial < 150; trial++) {
            byte[] damaged = whole.clone();
            int changes = 1 + random.nextInt(8);
            for (int i = 0; i < changes; i++) {
                damaged[4 + random.nextInt(damaged.length - 4)] = (byte) random.nextInt(256);
            }

            Throwable thrown = catchThrowable(() -> decoder.decode(damaged));

            if (thrown != null) {
                assertThat(thrown).as("%s trial %d", file, trial).isInstanceOf(ImageDecodeException.class);
            }
        }
    }

    @Test
    void pngBombFailsFromItsHeaderWithoutAllocatingTheRaster() {
        byte[] bomb = png(30_000, 30_000, deflate(new byte[1 << 20]));
        assertThat(bomb.length).isLessThan(10_000);
        long before = allocatedBytes();

        Throwable thrown = catchThrowable(() -> decoder.decode(bomb));

        long allocated = allocatedBytes() - before;
        assertThat(thrown).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("30000x30000").hasMessageContaining("above the limit of 100000000");
        assertThat(allocated).as("bytes allocated while refusing").isLessThan(16L << 20);
    }

    @Test
    void jpegDeclaringAHugeFrameIsRefusedFromItsHeader() {
        byte[] jpeg = PillowReferences.bytes(CASES.resolve("jpeg_444.jpg"));
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 5] = (byte) 0xFF; // height 0xFFxx
        jpeg[sof + 7] = (byte) 0xFF; // width 0xFFxx

        assertThatThrownBy(() -> decoder.decode(jpeg)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("pixels, above the limit");
    }

    @Test
    void limitsAreConfigurable() {
        byte[] png = PillowReferences.bytes(CASES.resolve("png_rgb8.png")); // 37x23
        ImageDecoder fewPixels = new ImageDecoder(new ImageLimits(1 << 20, 800, 1000), true);
        ImageDecoder narrow = new ImageDecoder(new ImageLimits(1 << 20, 10_000, 30), true);
        ImageDecoder fewBytes = new ImageDecoder(new ImageLimits(100, 10_000, 1000), true);

        assertThatThrownBy(() -> fewPixels.decode(png)).hasMessageContaining("851 pixels, above the limit of 800");
        assertThatThrownBy(() -> narrow.decode(png)).hasMessageContaining("above the limit of 30 pixels");
        assertThatThrownBy(() -> fewBytes.decode(png)).hasMessageContaining("above the limit of 100 bytes");
        assertThat(new ImageDecoder(new ImageLimits(1 << 20, 851, 37), true).decode(png).width()).isEqualTo(37);
    }

    @Test
    void limitsMustFitOneJavaArray() {
        assertThatThrownBy(() -> new ImageLimits(1, 1L << 30, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one Java array");
    }

    /**
     * In a fat jar whose service files lost the TwelveMonkeys entries ImageIO would not know them; the decoder
     * registers them itself (the JDK has no WebP reader at all).
     */
    @Test
    void findsTheTwelveMonkeysReadersEvenWhenImageIoDoesNotListThem() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (Class<? extends ImageReaderSpi> type : List.of(JPEGImageReaderSpi.class, WebPImageReaderSpi.class)) {
            ImageReaderSpi provider = registry.getServiceProviderByClass(type);
            if (provider != null) {
                registry.deregisterServiceProvider(provider, ImageReaderSpi.class);
            }
        }

        RgbImage webp = decoder.decode(PillowReferences.bytes(CASES.resolve("webp_lossless_rgb.webp")));
        RgbImage ycck = decoder.decode(PillowReferences.bytes(CASES.resolve("jpeg_ycck.jpg")));

        assertThat(webp).isEqualTo(PillowReferences.png(CASES.resolve("webp_lossless_rgb.expected.png")));
        assertThat(ycck).isEqualTo(PillowReferences.png(CASES.resolve("jpeg_ycck.expected.png")));
        assertThat(registry.getServiceProviderByClass(JPEGImageReaderSpi.class)).isNotNull();
        assertThat(registry.getServiceProviderByClass(WebPImageReaderSpi.class)).isNotNull();
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static int indexOf(byte[] data, byte a, byte b) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == a && data[i + 1] == b) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(9);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    /** A minimal 8-bit RGB PNG with the given header size and IDAT payload. */
    private static byte[] png(int width, int height, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
