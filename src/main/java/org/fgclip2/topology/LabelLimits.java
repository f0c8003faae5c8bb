package org.fgclip2.topology;

/**
 * How large label definitions and label sets may be, so that every label's embeddings record and every image's
 * labels record fits in a Kafka record; a definition beyond them is dead-lettered with the limit it broke.
 *
 * @param maxPerSet most labels in one set
 * @param maxPrompts most prompts in one definition
 * @param maxPromptChars longest prompt or box prompt, in characters
 */
public record LabelLimits(int maxPerSet, int maxPrompts, int maxPromptChars) {

    /** Label ids are record keys and appear in every image's labels: longer ones are refused. */
    static final int MAX_LABEL_ID_CHARS = 256;

    public LabelLimits {
        if (maxPerSet < 1 || maxPrompts < 1 || maxPromptChars < 1) {
            throw new IllegalArgumentException("label limits must be positive");
        }
    }
}
