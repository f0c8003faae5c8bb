package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.fgclip2.avro.LabelDefinition;

/**
 * Checks a label definition before it is embedded; the reason goes into the dead letter. The limits are also
 * checked by the {@code labels} command before it sends a file, so that a loaded label is never dead-lettered.
 */
public final class LabelDefinitions {

    /** Avro's framing of one label in an ImageLabels record (score, flag, lengths), generously. */
    private static final int LABEL_SCORE_FRAMING = 16;

    private LabelDefinitions() {
    }

    /** @return null when the definition itself is valid, else why not */
    static String problem(String key, LabelDefinition d, LabelLimits limits) {
        if (d.getLabelId() == null || d.getLabelId().isBlank()) {
            return "labelId is empty";
        }
        if (key == null || !key.equals(d.getLabelId())) {
            return "record key '" + DeadLetters.cut(key, 100) + "' differs from labelId '" + d.getLabelId()
                    + "': the compacted topic is keyed by labelId, so updates and deletes would miss this label";
        }
        if (d.getLabelSet() == null || d.getLabelSet().isBlank()) {
            return "labelSet is empty";
        }
        if (d.getPrompts() == null || d.getPrompts().isEmpty()) {
            return "label '" + d.getLabelId() + "' has no prompts";
        }
        for (String p : d.getPrompts()) {
            if (p == null || p.isBlank()) {
                return "label '" + d.getLabelId() + "' has an empty prompt";
            }
        }
        String beyond = limitProblem(d, limits);
        if (beyond != null) {
            return "label '" + d.getLabelId() + "' " + beyond;
        }
        Float t = d.getThreshold();
        if (t != null && !(t >= 0f && t <= 1f)) {
            return "label '" + d.getLabelId() + "' has threshold " + t + ", outside [0, 1]";
        }
        return null;
    }

    /** What makes a definition larger than the limits allow, or null: its id, its prompts, its box prompt. */
    public static String limitProblem(LabelDefinition d, LabelLimits limits) {
        if (d.getLabelId().length() > LabelLimits.MAX_LABEL_ID_CHARS) {
            return "has an id of " + d.getLabelId().length() + " characters, above the limit of "
                    + LabelLimits.MAX_LABEL_ID_CHARS;
        }
        if (d.getPrompts().size() > limits.maxPrompts()) {
            return "has " + d.getPrompts().size() + " prompts, above the limit of " + limits.maxPrompts()
                    + " (labels.max-prompts)";
        }
        for (String p : d.getPrompts()) {
            if (p.length() > limits.maxPromptChars()) {
                return "has a prompt of " + p.length() + " characters, above the limit of " + limits.maxPromptChars()
                        + " (labels.max-prompt-chars)";
            }
        }
        if (d.getBoxPrompt() != null && d.getBoxPrompt().length() > limits.maxPromptChars()) {
            return "has a box prompt of " + d.getBoxPrompt().length() + " characters, above the limit of "
                    + limits.maxPromptChars() + " (labels.max-prompt-chars)";
        }
        return null;
    }

    /**
     * @param set the labels the definition's set holds now, by id, with their prompts
     * @param labelsBudget the most bytes the labels of one image may take in its ImageLabels record
     * @return null when the set may take the definition, else why not
     */
    static String setProblem(LabelDefinition d, Map<String, List<String>> set, LabelLimits limits, int labelsBudget) {
        int others = set.containsKey(d.getLabelId()) ? set.size() - 1 : set.size();
        if (others + 1 > limits.maxPerSet()) {
            return "label set '" + d.getLabelSet() + "' already has " + others + " labels, the limit"
                    + " (labels.max-per-set); label '" + d.getLabelId() + "' is not added";
        }
        long worst = scoreBytes(d.getLabelId(), d.getPrompts());
        for (Map.Entry<String, List<String>> label : set.entrySet()) {
            if (!label.getKey().equals(d.getLabelId())) {
                worst += scoreBytes(label.getKey(), label.getValue());
            }
        }
        if (worst > labelsBudget) {
            return "with label '" + d.getLabelId() + "', the scores of label set '" + d.getLabelSet() + "' could take "
                    + worst + " bytes of an image's labels record, above the " + labelsBudget + " bytes allowed (half"
                    + " the record limit of the image-labels topic): use shorter prompts or split the set";
        }
        return null;
    }

    /** The most bytes a label's score can take in ImageLabels: its id and its longest prompt. */
    private static long scoreBytes(String labelId, List<String> prompts) {
        int longest = 0;
        for (String p : prompts) {
            longest = Math.max(longest, p.getBytes(StandardCharsets.UTF_8).length);
        }
        return labelId.getBytes(StandardCharsets.UTF_8).length + longest + LABEL_SCORE_FRAMING;
    }
}
