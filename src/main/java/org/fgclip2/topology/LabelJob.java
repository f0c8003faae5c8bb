package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.LabelDefinition;

/**
 * A label definition being embedded a few prompts at a time, so that a large one spreads over several processing
 * rounds instead of holding its stream thread (and its transaction) for the whole text tower.
 */
final class LabelJob {

    /** Prompts per text-tower forward: a step stays short next to an image batch's time budget. */
    static final int PROMPTS_PER_STEP = 8;

    private final BatchOwner owner;
    private final String pendingKey;
    private final ConsumedRecord source;
    private final LabelDefinition definition;
    private final List<float[][]> promptVectors = new ArrayList<>();
    private final List<float[][]> regionVectors = new ArrayList<>();
    private int embeddedPrompts;
    private int embeddedRegionPrompts;
    private float[] boxVector;

    LabelJob(BatchOwner owner, String pendingKey, ConsumedRecord source, LabelDefinition definition) {
        this.owner = owner;
        this.pendingKey = pendingKey;
        this.source = source;
        this.definition = definition;
    }

    BatchOwner owner() {
        return owner;
    }

    String pendingKey() {
        return pendingKey;
    }

    ConsumedRecord source() {
        return source;
    }

    LabelDefinition definition() {
        return definition;
    }

    boolean done() {
        return boxVector != null;
    }

    /** Embeds the next prompts, then those for regions (box walk, if any), then the box prompt. */
    void step(CaptionEmbedder embedder) {
        List<String> prompts = definition.getPrompts();
        int regionPrompts = CaptionEmbedder.scoresRegionsByPrompt(definition) ? prompts.size() : 0;
        if (embeddedPrompts < prompts.size()) {
            int end = Math.min(prompts.size(), embeddedPrompts + PROMPTS_PER_STEP);
            promptVectors.add(embedder.embedPrompts(prompts.subList(embeddedPrompts, end), definition.getLong$()));
            embeddedPrompts = end;
        } else if (embeddedRegionPrompts < regionPrompts) {
            int end = Math.min(regionPrompts, embeddedRegionPrompts + PROMPTS_PER_STEP);
            regionVectors.add(embedder.embedRegionPrompts(prompts.subList(embeddedRegionPrompts, end)));
            embeddedRegionPrompts = end;
        } else {
            boxVector = embedder.embedBox(CaptionEmbedder.boxPromptOf(definition));
        }
    }

    CaptionEmbeddings result(CaptionEmbedder embedder, Instant now) {
        return embedder.build(definition, promptVectors, regionVectors, boxVector, now);
    }
}
