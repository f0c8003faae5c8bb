package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics the application reads and writes; every name is configurable (see the settings table).
 *
 * @param images input: image-reference events
 * @param labelDefinitions input, compacted: zero-shot label definitions (null value deletes)
 * @param captionEmbeddings internal, compacted: label embeddings feeding the global caption store
 * @param imageLabels output: labels per image
 * @param regionHeatmaps output: heatmap references per (image, label)
 * @param deadLetters output: inputs that could not be processed, with stage and reason
 * @param imageEmbeddings output: the embedding of every image the model ran on; null when they are not published
 * @param embeddingCache internal, compacted: image embeddings by content, feeding the global embedding cache; null
 *     when there is no cache
 */
public record TopicNames(String images, String labelDefinitions, String captionEmbeddings, String imageLabels,
                         String regionHeatmaps, String deadLetters, String imageEmbeddings, String embeddingCache) {

    /** The topics records are produced to, the internal caption embeddings included. */
    public List<String> outputs() {
        List<String> outputs = new ArrayList<>(List.of(imageLabels, regionHeatmaps, deadLetters, captionEmbeddings));
        optional(outputs);
        return outputs;
    }

    /** Every topic the application reads or writes: inputs, the internal one, then the outputs. */
    public List<String> all() {
        List<String> all = new ArrayList<>(List.of(images, labelDefinitions, captionEmbeddings, imageLabels,
                regionHeatmaps, deadLetters));
        optional(all);
        return all;
    }

    private void optional(List<String> topics) {
        if (imageEmbeddings != null) {
            topics.add(imageEmbeddings);
        }
        if (embeddingCache != null) {
            topics.add(embeddingCache);
        }
    }
}
