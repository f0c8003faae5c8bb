package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.Scoring;

/**
 * Labels scored outside the pipeline, e.g. to choose their thresholds, by the code the labeller publishes its
 * scores with: the label embedder's embeddings record, read back into a label entry as the caption store does, and
 * the label set's matrix for the best prompt's sigmoid, as a float. A threshold chosen on these scores therefore
 * splits the images the way production does ({@code score >= threshold}), on the same model, device and dtype.
 */
public final class LabelSetScorer {

    private final LabelMatrix matrix;
    private final Scoring scoring;
    /** Per label in the caller's order, its position in the matrix (which orders labels by id). */
    private final int[] matrixIndex;

    private LabelSetScorer(LabelMatrix matrix, Scoring scoring, int[] matrixIndex) {
        this.matrix = matrix;
        this.scoring = scoring;
        this.matrixIndex = matrixIndex;
    }

    /** Embeds the prompts of these labels (distinct ids, one label set) with the text tower. */
    public static LabelSetScorer embed(FgClip2Inference inference, List<LabelDefinition> labels) {
        CaptionEmbedder embedder = new CaptionEmbedder(inference);
        Instant now = Instant.now();
        List<LabelEntry> entries = new ArrayList<>(labels.size());
        for (LabelDefinition d : labels) {
            // thresholds play no part in a score; a label without one gets any value here
            entries.add(CaptionEmbedder.entryOf(embedder.embed(d, now), 0f));
        }
        String labelSet = labels.isEmpty() ? "" : labels.get(0).getLabelSet();
        // nor do actions: no decision is made from these scores
        LabelMatrix matrix = LabelMatrix.of(labelSet, entries, new ActionOrder(List.of()));
        Map<String, Integer> byId = new HashMap<>();
        for (int i = 0; i < matrix.labels().size(); i++) {
            byId.put(matrix.labels().get(i).labelId(), i);
        }
        int[] index = labels.stream().mapToInt(d -> byId.get(d.getLabelId())).toArray();
        return new LabelSetScorer(matrix, inference.scoring(), index);
    }

    /**
     * The scores of these images.
     *
     * @param imageEmbeddings L2-normalised, as {@link FgClip2Inference#embedImages} returns them
     * @return {@code [image][label]}, labels in the order {@link #embed} was given
     */
    public float[][] score(float[][] imageEmbeddings) {
        LabelMatrix.Scores[] scored = matrix.scoreAll(imageEmbeddings, scoring);
        float[][] out = new float[scored.length][matrixIndex.length];
        for (int i = 0; i < scored.length; i++) {
            for (int l = 0; l < matrixIndex.length; l++) {
                out[i][l] = scored[i].scores()[matrixIndex[l]];
            }
        }
        return out;
    }
}
