package org.fgclip2.topology;

import org.fgclip2.image.RgbImage;
import org.fgclip2.preprocess.PatchedImage;

/**
 * An image past its fetch. Usually ready for the model: its patches, and a small copy of the picture for heatmap
 * overlays (null when heatmaps are off). A repeat the embedding cache holds is not decoded at all: it carries the
 * cached embedding and its bytes as fetched, decoded only if it turns out to need a forward after all (a heatmap).
 *
 * @param patched null when not decoded
 * @param contentSha256 of the bytes as fetched, in lower-case hex: what makes two events the same picture
 * @param cached the repeat's cached embedding; null when the image was decoded
 * @param undecoded the bytes as fetched, kept only while the image is not decoded
 */
record PreparedImage(PatchedImage patched, RgbImage preview, String contentSha256, EmbeddingCache.Hit cached,
                     byte[] undecoded) {

    static PreparedImage decoded(PatchedImage patched, RgbImage preview, String contentSha256) {
        return new PreparedImage(patched, preview, contentSha256, null, null);
    }

    static PreparedImage fromCache(String contentSha256, EmbeddingCache.Hit cached, byte[] bytes) {
        return new PreparedImage(null, null, contentSha256, cached, bytes);
    }

    boolean isDecoded() {
        return patched != null;
    }

    /** Rows of the patch grid the image runs (or ran, for a cached repeat) at. */
    int gridHeight() {
        return patched != null ? patched.grid().height() : cached.gridHeight();
    }

    int gridWidth() {
        return patched != null ? patched.grid().width() : cached.gridWidth();
    }

    int bucket() {
        return PatchBuckets.of(patched.patchCount());
    }
}
