package org.fgclip2.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Picks the ImageIO reader for a format without trusting the plugin scan: the TwelveMonkeys JPEG and WebP
 * readers are registered here if the registry does not have them, which happens when a fat jar lost their
 * {@code META-INF/services} entries or the context class loader at ImageIO's first use could not see them.
 * (Registration, not plain instantiation, because TwelveMonkeys' JPEG reader finds the JDK reader it wraps when
 * it is registered.) PNG, GIF and BMP use the JDK's own readers.
 */
final class ImageReaders {

    private ImageReaders() {
    }

    static ImageReader create(ImageFormat format) throws IOException {
        return switch (format) {
            case JPEG -> registered(JPEGImageReaderSpi.class, JPEGImageReaderSpi::new).createReaderInstance();
            case WEBP -> registered(WebPImageReaderSpi.class, WebPImageReaderSpi::new).createReaderInstance();
            case PNG, GIF, BMP -> {
                Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
                if (!readers.hasNext()) {
                    throw new ImageDecodeException("no ImageIO reader for " + format + " is installed in this JVM");
                }
                yield readers.next();
            }
        };
    }

    private static <T extends ImageReaderSpi> T registered(Class<T> type, Supplier<T> factory) {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        T provider = registry.getServiceProviderByClass(type);
        if (provider == null) {
            registry.registerServiceProvider(factory.get(), ImageReaderSpi.class);
            provider = registry.getServiceProviderByClass(type);
        }
        return provider;
    }
}
