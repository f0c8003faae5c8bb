package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules one label definition must keep to be embedded, stated once: the topology dead-letters a definition with
 * the first problem, and the {@code labels} command lists every problem of a file before it sends anything, so a
 * label that passes there is never dead-lettered here. Problems are clauses that follow the label's name in a
 * message, e.g. {@code label 'cat': threshold 1.5 is outside [0, 1]}.
 */
public final class LabelRules {

    private LabelRules() {
    }

    /**
     * Every rule the label breaks: those of its id, then those of its prompts and threshold.
     *
     * @param id null when the label has none
     */
    public static List<String> problems(String id, List<String> prompts, String boxPrompt, Float threshold,
                                        LabelLimits limits) {
        List<String> problems = new ArrayList<>(idProblems(id));
        problems.addAll(contentProblems(prompts, boxPrompt, threshold, limits));
        return problems;
    }

    /** The rules of a label id, which is the record key of the label topic and part of every image's labels. */
    public static List<String> idProblems(String id) {
        if (id == null) {
            return List.of("no id");
        }
        if (id.isBlank()) {
            return List.of("the id is empty");
        }
        if (id.length() > LabelLimits.MAX_LABEL_ID_CHARS) {
            return List.of("has an id of " + id.length() + " characters, above the limit of "
                    + LabelLimits.MAX_LABEL_ID_CHARS);
        }
        return List.of();
    }

    /**
     * The rules of what a label is embedded from and scored by.
     *
     * @param prompts null or empty when there are none; null elements are skipped: whoever read them could not,
     *     and has said why
     * @param boxPrompt null = the first prompt
     * @param threshold null = the default threshold
     */
    public static List<String> contentProblems(List<String> prompts, String boxPrompt, Float threshold,
                                               LabelLimits limits) {
        List<String> problems = new ArrayList<>();
        if (prompts == null || prompts.isEmpty()) {
            problems.add("no prompts");
            prompts = List.of();
        } else if (prompts.size() > limits.maxPrompts()) {
            problems.add("has " + prompts.size() + " prompts, above the limit of " + limits.maxPrompts()
                    + " (labels.max-prompts)");
        }
        for (int i = 0; i < prompts.size(); i++) {
            String prompt = prompts.get(i);
            if (prompt == null) {
                continue;
            }
            if (prompt.isBlank()) {
                problems.add("prompt " + (i + 1) + " is empty");
            } else if (prompt.length() > limits.maxPromptChars()) {
                problems.add("has a prompt of " + prompt.length() + " characters, above the limit of "
                        + limits.maxPromptChars() + " (labels.max-prompt-chars)");
            }
        }
        if (boxPrompt != null && boxPrompt.length() > limits.maxPromptChars()) {
            problems.add("has a box prompt of " + boxPrompt.length() + " characters, above the limit of "
                    + limits.maxPromptChars() + " (labels.max-prompt-chars)");
        }
        String thresholdProblem = thresholdProblem("threshold", threshold);
        if (thresholdProblem != null) {
            problems.add(thresholdProblem);
        }
        return problems;
    }

    /** Why a threshold cannot be used, or null (also when there is none): a score is a probability. */
    public static String thresholdProblem(String name, Float threshold) {
        if (threshold != null && !(threshold >= 0f && threshold <= 1f)) {
            return name + " " + threshold + " is outside [0, 1]";
        }
        return null;
    }

    /** Longest action word: actions are words such as {@code block}, not sentences. */
    public static final int MAX_ACTION_CHARS = 32;

    /**
     * The rules of what a label asks for when it is positive or nearly so.
     *
     * @param action null = none
     * @param reviewMargin null = no review band
     */
    public static List<String> decisionProblems(String action, Float reviewMargin) {
        List<String> problems = new ArrayList<>();
        String actionProblem = action == null ? null : actionProblem(action);
        if (actionProblem != null) {
            problems.add(actionProblem);
        }
        if (reviewMargin != null && !(reviewMargin >= 0f && reviewMargin <= 1f)) {
            problems.add("reviewMargin " + reviewMargin + " is outside [0, 1]");
        }
        return problems;
    }

    /**
     * Why a word cannot be an action, or null. Actions are compared as written and ranked by {@link ActionOrder}, so
     * {@code Block} would silently rank as an unknown word: upper case is refused rather than folded.
     */
    public static String actionProblem(String action) {
        if (action.isEmpty()) {
            return "action is empty";
        }
        if (action.length() > MAX_ACTION_CHARS) {
            return "action of " + action.length() + " characters is above the limit of " + MAX_ACTION_CHARS;
        }
        if (!action.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            return "action '" + action + "' is not one word: use letters, digits, '_' or '-' (e.g. block, review)";
        }
        if (action.codePoints().anyMatch(Character::isUpperCase)) {
            return "action '" + action + "' has upper-case letters: actions are lower-case words (e.g. block)";
        }
        return null;
    }

    /** How messages name a label: by its id when it has one. */
    static String nameOf(String id) {
        return id == null || id.isBlank() ? "a label" : "label '" + id + "'";
    }
}
