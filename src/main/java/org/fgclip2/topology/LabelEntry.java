package org.fgclip2.topology;

import java.util.List;

/**
 * One label ready for scoring.
 *
 * @param promptEmbeddings L2-normalised, one per prompt
 * @param boxEmbedding L2-normalised box-walk embedding of {@code boxPrompt}, for heatmaps
 * @param regionEmbeddings L2-normalised box-walk embeddings a region is scored against (its best counts): every
 *     prompt's when the label has no box prompt of its own, else the box prompt's
 * @param threshold score at or above which the label is positive
 * @param action what the label asks for when positive; null = nothing
 * @param reviewMargin width of the review band below the threshold; 0 = none
 */
record LabelEntry(String labelId, List<String> prompts, float[][] promptEmbeddings, String boxPrompt,
                  float[] boxEmbedding, float[][] regionEmbeddings, float threshold, String promptsHash, String action,
                  float reviewMargin) {

    boolean positive(float score) {
        return score >= threshold;
    }

    /** In the review band: below the threshold by at most the review margin. */
    boolean inReview(float score) {
        return score < threshold && reviewMargin > 0 && score >= threshold - reviewMargin;
    }
}
