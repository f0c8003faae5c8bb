package org.fgclip2.topology;

import org.fgclip2.image.RgbImage;
import org.fgclip2.preprocess.PatchedImage;

/**
 * An image ready for the model: its patches, and a small copy of the picture for heatmap overlays (null when
 * heatmaps are off).
 *
 * @param contentSha256 of the bytes as fetched, in lower-case hex: what makes two events the same picture
 */
record PreparedImage(PatchedImage patched, RgbImage preview, String contentSha256) {

    int bucket() {
        return PatchBuckets.of(patched.patchCount());
    }
}
