package org.fgclip2.topology;

/**
 * The topics the application reads and writes; every name is configurable (see the settings table).
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
}
