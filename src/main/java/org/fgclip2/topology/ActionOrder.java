package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * How severe label actions are, most severe first: an image's decision is the most severe action among its
 * positive labels and, as {@value #REVIEW}, its labels in their review band. Teams may use words of their own; one
 * the order does not list ranks just above {@code allow} (below every other listed word), so that an unknown word
 * never silently outranks {@code block} nor is drowned by {@code allow}; several unlisted words rank among
 * themselves alphabetically, so the decision does not depend on label order.
 *
 * @param mostSevereFirst distinct lower-case words
 */
public record ActionOrder(List<String> mostSevereFirst) {

    public static final String ALLOW = "allow";
    public static final String REVIEW = "review";

    public ActionOrder {
        mostSevereFirst = List.copyOf(mostSevereFirst);
        for (String word : mostSevereFirst) {
            String problem = LabelRules.actionProblem(word);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        if (mostSevereFirst.stream().distinct().count() != mostSevereFirst.size()) {
            throw new IllegalArgumentException("action order " + mostSevereFirst + " names an action twice");
        }
    }

    /** A comma-separated order such as {@code block,review,allow}. */
    public static ActionOrder parse(String commaSeparated) {
        List<String> words = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            words.add(part.strip().toLowerCase(Locale.ROOT));
        }
        return new ActionOrder(words);
    }

    /** The most severe of these actions, or null when there are none. */
    String mostSevere(Collection<String> actions) {
        String best = null;
        for (String action : actions) {
            if (best == null || moreSevere(action, best)) {
                best = action;
            }
        }
        return best;
    }

    private boolean moreSevere(String a, String b) {
        int rankA = rank(a);
        int rankB = rank(b);
        return rankA != rankB ? rankA < rankB : a.compareTo(b) < 0;
    }

    /** Listed words at even ranks; unlisted ones share the odd rank just before {@code allow} (or after all). */
    private int rank(String action) {
        int listed = mostSevereFirst.indexOf(action);
        if (listed >= 0) {
            return 2 * listed;
        }
        int allow = mostSevereFirst.indexOf(ALLOW);
        return allow >= 0 ? 2 * allow - 1 : 2 * mostSevereFirst.size();
    }

    @Override
    public String toString() {
        return String.join(",", mostSevereFirst);
    }
}
