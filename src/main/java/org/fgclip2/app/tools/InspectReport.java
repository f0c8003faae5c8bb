package org.fgclip2.app.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code inspect} prints, as one JSON document in this order: the model, each image, each text (all walks, in
 * the order given), every image-text probability, a heatmap per image and box caption, and the regions asked for.
 *
 * @param probabilities by image, then by text index
 * @param regions absent when none were asked for
 */
record InspectReport(Model model, List<Image> images, List<Text> texts, float[][] probabilities,
                     List<Heatmap> heatmaps, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Region> regions) {

    /** @param dtype lower case, as {@code --dtype} takes it */
    record Model(String id, String device, String dtype) {
    }

    /** @param spatialShape patch rows and columns */
    record Image(String file, int[] spatialShape, float[] embedding) {
    }

    /** @param embedding normalised */
    record Text(String text, String walk, long[] inputIds, float[] embedding) {
    }

    /**
     * @param image index into the images
     * @param text index into the texts, a box caption
     * @param shape patch rows and columns
     * @param files the PNGs written, absent without {@code --heatmap-dir}
     */
    record Heatmap(int image, int text, int[] shape, float[] similarity,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<String> files) {
    }

    /**
     * @param image index into the images
     * @param box {x1, y1, x2, y2} in that image's pixels
     * @param embedding the L2-normalised region feature
     * @param probabilities per text, {@code softmax(100 · cos)} over all the texts
     */
    record Region(int image, double[] box, float[] embedding, float[] probabilities) {
    }
}
