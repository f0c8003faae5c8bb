package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fgclip2.avro.LabelDefinition;

/**
 * Checks a label definition before it is embedded, by the {@link LabelRules} the {@code labels} command checks files
 * with, and against the label set it joins; the reason goes into the dead letter.
 */
public final class LabelDefinitions {

    /** Avro's framing of one label in an ImageLabels record (score, flag, lengths), generously. */
    private static final int LABEL_SCORE_FRAMING = 16;

    private LabelDefinitions() {
    }

    /** @return null when the definition itself is valid, else why not: the first problem only, for the dead letter */
    static String problem(String key, LabelDefinition d, LabelLimits limits) {
        String id = d.getLabelId();
        List<String> problems = new ArrayList<>(
                LabelRules.problems(id, d.getPrompts(), d.getBoxPrompt(), d.getThreshold(), limits));
        problems.addAll(LabelRules.decisionProblems(d.getAction(), d.getReviewMargin()));
        if (!problems.isEmpty()) {
            return LabelRules.nameOf(id) + ": " + problems.get(0);
        }
        if (!id.equals(key)) {
            return "record key '" + DeadLetters.cut(key, 100) + "' differs from labelId '" + id
                    + "': the compacted topic is keyed by labelId, so updates and deletes would miss this label";
        }
        if (d.getLabelSet() == null || d.getLabelSet().isBlank()) {
            return "labelSet is empty";
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
