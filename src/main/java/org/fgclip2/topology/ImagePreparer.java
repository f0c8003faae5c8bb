package org.fgclip2.topology;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;
import org.fgclip2.fetch.ImageFetcher;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.PillowResize;
import org.fgclip2.image.RgbImage;
import org.fgclip2.preprocess.NaflexImageProcessor;
import org.fgclip2.preprocess.PatchedImage;

/**
 * Fetch, hash, decode, pre-process: everything an image event needs before the model, each failure tagged with its
 * stage; a repeat the embedding cache holds stops after the hash. The CPU steps (hashing, decoding, resizing,
 * patching, and reading {@code file:} images) run on the executor the caller names, the fetch pool
 * ({@code fetch.threads}); an HTTP(S) download holds none of its threads, so a slow host cannot keep the pool from
 * other images.
 */
final class ImagePreparer {

    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final NaflexImageProcessor processor;
    private final int previewMaxSide;
    private final Executor cpu;

    /**
     * @param previewMaxSide longest side of the copy kept for heatmap overlays; 0 keeps none
     * @param cpu the fetch pool; null runs every step on the calling stream thread, which then waits for
     *     downloads too (for tests, where the result is then ready when {@link #prepare} returns)
     */
    ImagePreparer(ImageFetcher fetcher, ImageDecoder decoder, NaflexImageProcessor processor, int previewMaxSide,
                  Executor cpu) {
        this.fetcher = fetcher;
        this.decoder = decoder;
        this.processor = processor;
        this.previewMaxSide = previewMaxSide;
        this.cpu = cpu;
    }

    /**
     * The prepared image, later (or at once without a fetch pool).
     *
     * @param cache finds the cached embedding of the fetched bytes' content, on the thread that hashed them; a
     *     repeat it finds is not decoded. Null looks nothing up.
     */
    CompletableFuture<PreparedImage> prepare(ImageEvent event, Function<String, EmbeddingCache.Hit> cache) {
        if (cpu != null) {
            return prepareOn(event, cache, cpu);
        }
        return now(() -> prepareNow(event, cache));
    }

    /** A repeat taken from the cache, decoded after all (it needs a forward): later, or at once without a pool. */
    CompletableFuture<PreparedImage> decode(ImageEvent event, PreparedImage fromCache) {
        if (cpu != null) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return fromBytes(event, fromCache.undecoded(), null);
                } catch (StageFailure f) {
                    throw new CompletionException(f);
                }
            }, cpu);
        }
        return now(() -> fromBytes(event, fromCache.undecoded(), null));
    }

    private interface Step {
        PreparedImage run() throws StageFailure;
    }

    private static CompletableFuture<PreparedImage> now(Step step) {
        CompletableFuture<PreparedImage> done = new CompletableFuture<>();
        try {
            done.complete(step.run());
        } catch (StageFailure | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * The prepared image, later: fetched (a {@code file:} read runs on {@code cpu}), then decoded and pre-processed
     * on {@code cpu}. Fails with a {@link StageFailure}; cancelling it stops the fetch.
     */
    private CompletableFuture<PreparedImage> prepareOn(ImageEvent event, Function<String, EmbeddingCache.Hit> cache,
                                                       Executor cpu) {
        CompletableFuture<byte[]> fetched = fetcher.fetchAsync(event.getUri(), cpu);
        CompletableFuture<PreparedImage> prepared = fetched
                .handle((bytes, error) -> {
                    if (error != null) {
                        throw new CompletionException(fetchFailure(error));
                    }
                    return bytes;
                })
                .thenApplyAsync(bytes -> {
                    try {
                        return fromBytes(event, bytes, cache);
                    } catch (StageFailure f) {
                        throw new CompletionException(f);
                    }
                }, cpu);
        // a closing task cancels what it waits for: the fetch then gives its connection and its turn back
        prepared.whenComplete((image, error) -> {
            if (prepared.isCancelled()) {
                fetched.cancel(true);
            }
        });
        return prepared;
    }

    /** The prepared image, now: every step on the calling thread, which waits for an HTTP(S) download. */
    private PreparedImage prepareNow(ImageEvent event, Function<String, EmbeddingCache.Hit> cache)
            throws StageFailure {
        byte[] bytes;
        try {
            bytes = fetcher.fetch(event.getUri());
        } catch (RuntimeException e) {
            throw fetchFailure(e);
        }
        return fromBytes(event, bytes, cache);
    }

    private static StageFailure fetchFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new StageFailure(Stage.FETCH, DeadLetters.reason(cause), cause);
    }

    private PreparedImage fromBytes(ImageEvent event, byte[] bytes, Function<String, EmbeddingCache.Hit> cache)
            throws StageFailure {
        String contentSha256 = Hashes.ofContent(bytes);
        EmbeddingCache.Hit hit = cache == null ? null : cache.apply(contentSha256);
        if (hit != null) {
            return PreparedImage.fromCache(contentSha256, hit, bytes);
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
        return PreparedImage.decoded(patched, previewMaxSide > 0 ? preview(image) : null, contentSha256);
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
