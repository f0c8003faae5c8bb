package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fgclip2.inference.Scoring;
import org.fgclip2.inference.Vectors;

/**
 * A label set as scored: its labels and a version that changes whenever a label, a prompt or a threshold does.
 * Scoring an image is one pass over the prompt embeddings (the "join" of image and label set).
 */
record LabelMatrix(String labelSet, String version, List<LabelEntry> labels) {

    static LabelMatrix of(String labelSet, List<LabelEntry> labels) {
        List<LabelEntry> sorted = new ArrayList<>(labels);
        sorted.sort(Comparator.comparing(LabelEntry::labelId));
        List<String> parts = new ArrayList<>();
        for (LabelEntry l : sorted) {
            parts.add(l.labelId());
            parts.add(l.promptsHash());
            parts.add(Float.toString(l.threshold()));
        }
        return new LabelMatrix(labelSet, sorted.isEmpty() ? "empty" : Hashes.of(parts), List.copyOf(sorted));
    }

    /** A label's score: the best of its prompts, {@code sigmoid(cos · exp(logit_scale) + logit_bias)}. */
    record Score(LabelEntry label, float score, String prompt) {
        boolean positive() {
            return score >= label.threshold();
        }
    }

    /** Every label scored against a normalised image embedding, highest first. */
    List<Score> score(float[] imageEmbedding, Scoring scoring) {
        List<Score> scores = new ArrayList<>(labels.size());
        for (LabelEntry label : labels) {
            int best = 0;
            double bestCos = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < label.promptEmbeddings().length; p++) {
                double cos = Vectors.dot(imageEmbedding, label.promptEmbeddings()[p]);
                if (cos > bestCos) {
                    bestCos = cos;
                    best = p;
                }
            }
            scores.add(new Score(label, (float) scoring.probability(bestCos), label.prompts().get(best)));
        }
        scores.sort(Comparator.comparingDouble(Score::score).reversed().thenComparing(s -> s.label().labelId()));
        return scores;
    }
}
