package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.model.TextWalk;

/** Embeds a label's prompts (short or long walk) and its box prompt (box walk) with the text tower. */
final class CaptionEmbedder {

    private final FgClip2Inference inference;

    CaptionEmbedder(FgClip2Inference inference) {
        this.inference = inference;
    }

    String modelId() {
        return inference.info().id();
    }

    static String boxPromptOf(LabelDefinition d) {
        return d.getBoxPrompt() != null && !d.getBoxPrompt().isBlank() ? d.getBoxPrompt() : d.getPrompts().get(0);
    }

    /** What the embeddings depend on besides the model: prompts, box prompt and walk. */
    static String promptsHash(List<String> prompts, String boxPrompt, boolean longWalk) {
        List<String> parts = new ArrayList<>(prompts);
        parts.add("box:" + boxPrompt);
        parts.add(longWalk ? "walk:long" : "walk:short");
        return Hashes.of(parts);
    }

    /**
     * Whether regions are scored against every prompt in the box walk: a label with several prompts and no box
     * prompt of its own. Otherwise the box prompt's embedding (the first prompt's when none is set) serves.
     */
    static boolean scoresRegionsByPrompt(LabelDefinition d) {
        return (d.getBoxPrompt() == null || d.getBoxPrompt().isBlank()) && d.getPrompts().size() > 1;
    }

    /** All of a label's embeddings at once (a {@link LabelJob} embeds a large one a chunk at a time instead). */
    CaptionEmbeddings embed(LabelDefinition d, Instant now) {
        List<float[][]> regionVectors = scoresRegionsByPrompt(d)
                ? List.<float[][]>of(embedRegionPrompts(d.getPrompts())) : List.of();
        return build(d, List.<float[][]>of(embedPrompts(d.getPrompts(), d.getLong$())), regionVectors,
                embedBox(boxPromptOf(d)), now);
    }

    /**
     * Normalised embeddings of some prompts of a label. Every caption is padded to the walk's full length, so a
     * prompt's vector does not depend on which others share its forward.
     */
    float[][] embedPrompts(List<String> prompts, boolean longWalk) {
        return inference.embedTexts(prompts, longWalk ? TextWalk.LONG : TextWalk.SHORT).normalized();
    }

    /** Box-walk embeddings of some prompts, for region labels. */
    float[][] embedRegionPrompts(List<String> prompts) {
        return inference.embedTexts(prompts, TextWalk.BOX).normalized();
    }

    float[] embedBox(String boxPrompt) {
        return inference.embedTexts(List.of(boxPrompt), TextWalk.BOX).normalized()[0];
    }

    /**
     * The record of a label whose prompts ({@code promptVectors}, in order), region prompts ({@code regionVectors},
     * empty unless {@link #scoresRegionsByPrompt}) and box prompt are embedded.
     */
    CaptionEmbeddings build(LabelDefinition d, List<float[][]> promptVectors, List<float[][]> regionVectors,
                            float[] boxVector, Instant now) {
        String box = boxPromptOf(d);
        return CaptionEmbeddings.newBuilder()
                .setLabelId(d.getLabelId())
                .setLabelSet(d.getLabelSet())
                .setModelId(modelId())
                .setPromptsHash(promptsHash(d.getPrompts(), box, d.getLong$()))
                .setPrompts(List.copyOf(d.getPrompts()))
                .setLong$(d.getLong$())
                .setEmbeddings(flattened(promptVectors))
                .setBoxPrompt(box)
                .setBoxEmbedding(AvroFloats.toList(boxVector))
                .setRegionEmbeddings(flattened(regionVectors))
                .setThreshold(d.getThreshold())
                .setAction(d.getAction())
                .setReviewMargin(d.getReviewMargin())
                .setEmbeddedAt(now)
                .build();
    }

    /** Vectors embedded a chunk at a time, as one list in their order. */
    private static List<List<Float>> flattened(List<float[][]> chunks) {
        List<List<Float>> vectors = new ArrayList<>();
        for (float[][] chunk : chunks) {
            for (float[] v : chunk) {
                vectors.add(AvroFloats.toList(v));
            }
        }
        return vectors;
    }

    /** Rebuilds the definition an embeddings record was made from (to re-embed it with another model). */
    static LabelDefinition definitionOf(CaptionEmbeddings e) {
        return LabelDefinition.newBuilder()
                .setLabelId(e.getLabelId())
                .setLabelSet(e.getLabelSet())
                .setPrompts(e.getPrompts())
                .setBoxPrompt(e.getBoxPrompt())
                .setThreshold(e.getThreshold())
                .setAction(e.getAction())
                .setReviewMargin(e.getReviewMargin())
                .setLong$(e.getLong$())
                .build();
    }

    static LabelEntry entryOf(CaptionEmbeddings e, float defaultThreshold) {
        float[][] prompts = new float[e.getEmbeddings().size()][];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = AvroFloats.toArray(e.getEmbeddings().get(i));
        }
        float[] box = AvroFloats.toArray(e.getBoxEmbedding());
        // records written before region embeddings existed score regions by their box prompt
        float[][] regions = e.getRegionEmbeddings().isEmpty() ? new float[][] {box}
                : e.getRegionEmbeddings().stream().map(AvroFloats::toArray).toArray(float[][]::new);
        return new LabelEntry(e.getLabelId(), List.copyOf(e.getPrompts()), prompts, e.getBoxPrompt(), box, regions,
                e.getThreshold() != null ? e.getThreshold() : defaultThreshold,
                e.getPromptsHash(), e.getAction(), e.getReviewMargin() != null ? e.getReviewMargin() : 0f);
    }

    @Override
    public String toString() {
        return "CaptionEmbedder[" + modelId() + "]";
    }
}
