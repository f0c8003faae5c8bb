package org.fgclip2.topology;

/**
 * The topics the application reads and writes; every name is configurable, these are the defaults.
 *
 * @param images input: image-reference events
 * @param labelDefinitions input, compacted: zero-shot label definitions (null value deletes)
 * @param captionEmbeddings internal, compacted: label embeddings feeding the global caption store
 * @param imageLabels output: labels per image
 * @param regionHeatmaps output: heatmap references per (image, label)
 * @param deadLetters output: inputs that could not be processed, with stage and reason
 */
public record TopicNames(String images, String labelDefinitions, String captionEmbeddings, String imageLabels,
                         String regionHeatmaps, String deadLetters) {

    public static final TopicNames DEFAULTS = new TopicNames(
            "fgclip2.images",
            "fgclip2.label-definitions",
            "fgclip2.caption-embeddings",
            "fgclip2.image-labels",
            "fgclip2.region-heatmaps",
            "fgclip2.dead-letters");
}
