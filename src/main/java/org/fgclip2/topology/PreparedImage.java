package org.fgclip2.topology;

import org.fgclip2.image.RgbImage;
import org.fgclip2.preprocess.PatchedImage;

/**
 * An image ready for the model: its patches, and a small copy of the picture for heatmap overlays (null when
 * heatmaps are off).
 */
record PreparedImage(PatchedImage patched, RgbImage preview) {

    int bucket() {
        return PatchBuckets.of(patched.patchCount());
    }
}
