package org.fgclip2.topology;

import java.util.List;

/**
 * One label ready for scoring.
 *
 * @param promptEmbeddings L2-normalised, one per prompt
 * @param boxEmbedding L2-normalised box-walk embedding of {@code boxPrompt}, for heatmaps
 * @param threshold score at or above which the label is positive
 */
record LabelEntry(String labelId, List<String> prompts, float[][] promptEmbeddings, String boxPrompt,
                  float[] boxEmbedding, float threshold, String promptsHash) {
}
