package org.fgclip2.topology;

import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.preprocess.ImageDecoder;
import org.fgclip2.preprocess.NaflexImageProcessor;
import org.fgclip2.preprocess.PatchedImage;
import org.fgclip2.preprocess.PillowResize;
import org.fgclip2.preprocess.RgbImage;

/**
 * Fetch, decode, pre-process: everything an image event needs before the model, each failure tagged with its
 * stage. Runs on the fetch pool, concurrently with the stream thread.
 */
final class ImagePreparer {

    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final NaflexImageProcessor processor;
    private final int previewMaxSide;

    /** @param previewMaxSide longest side of the copy kept for heatmap overlays; 0 keeps none */
    ImagePreparer(ImageFetcher fetcher, ImageDecoder decoder, NaflexImageProcessor processor, int previewMaxSide) {
        this.fetcher = fetcher;
        this.decoder = decoder;
        this.processor = processor;
        this.previewMaxSide = previewMaxSide;
    }

    PreparedImage prepare(ImageEvent event) throws StageFailure {
        byte[] bytes;
        try {
            bytes = fetcher.fetch(event.getUri());
        } catch (Exception e) {
            throw new StageFailure(Stage.FETCH, DeadLetters.reason(e), e);
        }
        RgbImage image;
        try {
            image = decoder.decode(bytes);
        } catch (RuntimeException e) {
            throw new StageFailure(Stage.DECODE, DeadLetters.reason(e), e);
        } catch (OutOfMemoryError e) {
            throw new StageFailure(Stage.DECODE, "image too large to decode in the available heap", e);
        }
        PatchedImage patched;
        try {
            patched = event.getMaxPatches() == null ? processor.preprocess(image)
                    : processor.preprocess(image, event.getMaxPatches());
        } catch (RuntimeException e) {
            throw new StageFailure(Stage.PREPROCESS, DeadLetters.reason(e), e);
        }
        return new PreparedImage(patched, previewMaxSide > 0 ? preview(image) : null);
    }

    private RgbImage preview(RgbImage image) {
        int longest = Math.max(image.width(), image.height());
        if (longest <= previewMaxSide) {
            return image;
        }
        double scale = (double) previewMaxSide / longest;
        return PillowResize.resize(image, Math.max(1, (int) Math.round(image.width() * scale)),
                Math.max(1, (int) Math.round(image.height() * scale)));
    }
}
