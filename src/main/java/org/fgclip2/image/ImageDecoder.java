package org.fgclip2.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Encoded image bytes to an {@link RgbImage}, with the pixel values Pillow's
 * {@code Image.open(f).convert("RGB")} gives (see {@link RgbConversion}, {@link JpegColor}): JPEG (baseline,
 * progressive, greyscale, CMYK, YCCK), PNG (1–16 bit, grey, palette, alpha, interlaced), GIF (first frame, on
 * its logical screen), BMP and WebP (lossy, lossless, alpha). The format is recognised from the content, never
 * from a file name.
 *
 * <p><b>EXIF orientation is applied</b> (JPEG, PNG {@code eXIf}, WebP {@code EXIF}) by default, so that a photo
 * taken with the phone turned is labelled upright. This deliberately departs from the official README path,
 * which opens images with Pillow without {@code exif_transpose} and so feeds such photos to the model sideways;
 * use {@link #ImageDecoder(ImageLimits, boolean)} with {@code false} for that behaviour.
 *
 * <p>Every failure is an {@link ImageDecodeException}, raised before any pixel memory is allocated when the
 * header already shows the problem (size above the {@link ImageLimits}), and also for truncated data that
 * ImageIO would otherwise half-decode with a warning.
 *
 * <p>Exactness against Pillow 9.4: PNG, GIF, BMP, lossless WebP and JPEG give the same values in every test
 * file (JPEG: the JDK's libjpeg 6b and Pillow's libjpeg-turbo share the integer IDCT, the "fancy" chroma
 * upsampling and the YCbCr tables; other DCT methods or arithmetic coding are not covered). Lossy WebP goes
 * through TwelveMonkeys' own VP8 decoder instead of libwebp; version 3.14 has known prediction bugs that shift
 * colours (a mean of several levels on textured images), fixed in later TwelveMonkeys releases.
 *
 * <p>Thread-safe: each call uses its own ImageIO reader.
 */
public final class ImageDecoder {

    private final ImageLimits limits;
    private final boolean applyExifOrientation;

    public ImageDecoder(ImageLimits limits, boolean applyExifOrientation) {
        this.limits = limits;
        this.applyExifOrientation = applyExifOrientation;
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Decodes one image.
     *
     * @throws ImageDecodeException if the bytes are empty, too large, not a supported format, corrupt or
     *                              truncated, or declare more pixels than the limits allow
     */
    public RgbImage decode(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new ImageDecodeException("empty input: no image bytes");
        }
        if (encoded.length > limits.maxEncodedBytes()) {
            throw new ImageDecodeException("encoded image is " + encoded.length + " bytes, above the limit of "
                    + limits.maxEncodedBytes() + " bytes");
        }
        ImageFormat format = ImageFormat.detect(encoded).orElseThrow(() -> new ImageDecodeException(
                "input is " + ImageFormat.describeUnknown(encoded) + "; supported formats: JPEG, PNG, GIF, BMP, WebP"));
        checkContainer(encoded, format);
        RgbImage image = read(encoded, format);
        return applyExifOrientation ? ExifOrientation.apply(image, ExifOrientation.read(encoded, format)) : image;
    }

    private RgbImage read(byte[] encoded, ImageFormat format) {
        ImageReader reader = null;
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader = ImageReaders.create(format);
            reader.setInput(input, true, true);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));

            checkSize(format, reader.getWidth(0), reader.getHeight(0));
            RgbImage image = format == ImageFormat.JPEG ? readJpeg(reader, encoded) : readOther(reader, encoded, format);
            for (String warning : warnings) {
                if (isTruncation(warning)) {
                    throw new ImageDecodeException(format + " data is truncated or corrupt: " + warning);
                }
            }
            return image;
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports malformed data with IIOException but also with assorted runtime exceptions
            throw new ImageDecodeException(format + " data is corrupt or truncated: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw new ImageDecodeException("not enough memory to decode this " + format + " image; lower the "
                    + "pixel limit (now " + limits.maxPixels() + ") or give the JVM more heap", e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /** JPEG components are taken raw and converted here: TwelveMonkeys would apply embedded ICC profiles. */
    private static RgbImage readJpeg(ImageReader reader, byte[] encoded) throws IOException {
        JpegHeader header = JpegHeader.parse(encoded);
        return JpegColor.toRgb(reader.readRaster(0, null), header.encoding());
    }

    private RgbImage readOther(ImageReader reader, byte[] encoded, ImageFormat format) throws IOException {
        GifScreen screen = null;
        if (format == ImageFormat.GIF) {
            screen = GifScreen.parse(encoded);
            checkSize(format, screen.width(), screen.height());
        }
        BufferedImage decoded = reader.read(0);
        RgbImage image = RgbConversion.toRgb(decoded, format == ImageFormat.PNG && PngHeader.isSixteenBitGrey(encoded));
        if (screen != null && decoded.getColorModel() instanceof IndexColorModel palette) {
            return screen.place(image, palette);
        }
        return image;
    }

    private void checkSize(ImageFormat format, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(format + " header declares an invalid size " + width + "x" + height);
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw new ImageDecodeException(format + " image is " + width + "x" + height
                    + ", a side above the limit of " + limits.maxSide() + " pixels");
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new ImageDecodeException(format + " image is " + width + "x" + height + " = "
                    + (long) width * height + " pixels, above the limit of " + limits.maxPixels());
        }
    }

    /**
     * The warnings of the JDK's libjpeg and TwelveMonkeys when the data ends early (the decoder then fills the
     * rest with grey); other warnings (extraneous bytes, unsupported metadata) are harmless, as in Pillow.
     */
    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncated");
    }

    /**
     * The TwelveMonkeys WebP reader decodes a truncated lossless file without complaint, so the RIFF size is
     * checked against the data first.
     */
    private static void checkContainer(byte[] encoded, ImageFormat format) {
        if (format == ImageFormat.WEBP) {
            long declared = 8 + ((encoded[4] & 0xFFL) | (encoded[5] & 0xFFL) << 8 | (encoded[6] & 0xFFL) << 16
                    | (encoded[7] & 0xFFL) << 24);
            if (encoded.length < declared) {
                throw new ImageDecodeException("WEBP data is truncated: the RIFF header declares " + declared
                        + " bytes, only " + encoded.length + " are present");
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
