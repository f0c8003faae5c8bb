package org.fgclip2.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.image.ImageDecoder;

/** Image files made on the fly for tests: real encodings, and broken ones. */
public final class TestImages {
    private TestImages() {
    }

    /** A PNG gradient with a bright square, {@code seed} shifting the colours. */
    /** A decoder with the limits the application decodes with, from its settings' defaults. */
    public static ImageDecoder decoder() {
        return new ImageDecoder(new AppConfig(Map.of()).imageLimits(), true);
    }

    public static byte[] png(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean square = x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2;
                int r = (x * 255 / width + seed * 37) & 0xFF;
                int g = (y * 255 / height + seed * 91) & 0xFF;
                img.setRGB(x, y, square ? 0xFFFF40 : (r << 16) | (g << 8) | ((seed * 53) & 0xFF));
            }
        }
        return encode(img, "png");
    }

    public static byte[] jpeg(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, ((x + seed) & 0xFF) << 16 | ((y * 3) & 0xFF) << 8 | (seed & 0xFF));
            }
        }
        return encode(img, "jpg");
    }

    /**
     * A valid, tiny PNG whose header claims {@code width × height} pixels (a "decompression bomb" stand-in: the
     * decoder must refuse it from the header without allocating the raster).
     */
    public static byte[] pngBomb(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
