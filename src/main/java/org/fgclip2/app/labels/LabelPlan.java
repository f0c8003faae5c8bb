package org.fgclip2.app.labels;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.fgclip2.avro.LabelDefinition;

/**
 * What loading a label file changes in the topic: each label of the file is added, changed or unchanged against
 * what the topic holds, and with pruning every other label of the same set is deleted.
 *
 * @param changes the file's labels in file order, then the deletions by id
 * @param kept labels of the set the file does not list and that stay because pruning is off
 * @param unreadable keys of the topic whose value cannot be read and which the file does not replace; their label
 *     set is unknown, so pruning leaves them alone
 */
public record LabelPlan(String labelSet, List<Change> changes, List<String> kept, List<String> unreadable) {

    public enum ChangeKind { ADDED, CHANGED, UNCHANGED, DELETED }

    /**
     * @param definition the value to send; null for a deletion
     * @param detail for a change, what differs (e.g. {@code prompts, threshold}); else empty
     */
    public record Change(ChangeKind kind, String labelId, LabelDefinition definition, String detail) {
    }

    public LabelPlan {
        changes = List.copyOf(changes);
        kept = List.copyOf(kept);
        unreadable = List.copyOf(unreadable);
    }

    /** Compares the file with the topic. */
    public static LabelPlan of(LabelFile file, CurrentLabels current, boolean prune) {
        Set<String> inFile = new HashSet<>();
        List<Change> changes = new ArrayList<>();
        for (LabelDefinition d : file.labels()) {
            String id = d.getLabelId();
            inFile.add(id);
            LabelDefinition now = current.byId().get(id);
            if (now != null && now.equals(d)) {
                changes.add(new Change(ChangeKind.UNCHANGED, id, d, ""));
            } else if (now != null) {
                changes.add(new Change(ChangeKind.CHANGED, id, d, differences(now, d)));
            } else if (current.unreadable().containsKey(id)) {
                changes.add(new Change(ChangeKind.CHANGED, id, d, "replaces an unreadable value"));
            } else {
                changes.add(new Change(ChangeKind.ADDED, id, d, ""));
            }
        }
        List<String> kept = new ArrayList<>();
        for (String id : current.inSet(file.labelSet()).keySet()) {
            if (!inFile.contains(id)) {
                if (prune) {
                    changes.add(new Change(ChangeKind.DELETED, id, null, ""));
                } else {
                    kept.add(id);
                }
            }
        }
        List<String> unreadable = current.unreadable().keySet().stream().sorted()
                .filter(id -> !inFile.contains(id)).toList();
        return new LabelPlan(file.labelSet(), changes, kept, unreadable);
    }

    /** The changes that need a record: all but the unchanged labels. */
    public List<Change> toSend() {
        return changes.stream().filter(c -> c.kind() != ChangeKind.UNCHANGED).toList();
    }

    public long count(ChangeKind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    /** {@code added 1, changed 0, unchanged 3, deleted 2}. */
    public String counts() {
        return "added " + count(ChangeKind.ADDED) + ", changed " + count(ChangeKind.CHANGED) + ", unchanged "
                + count(ChangeKind.UNCHANGED) + ", deleted " + count(ChangeKind.DELETED);
    }

    private static String differences(LabelDefinition before, LabelDefinition after) {
        List<String> fields = new ArrayList<>();
        if (!before.getLabelSet().equals(after.getLabelSet())) {
            fields.add("moves from label set '" + before.getLabelSet() + "'");
        }
        if (!Objects.equals(before.getPrompts(), after.getPrompts())) {
            fields.add("prompts");
        }
        if (!Objects.equals(before.getBoxPrompt(), after.getBoxPrompt())) {
            fields.add("boxPrompt");
        }
        if (!Objects.equals(before.getThreshold(), after.getThreshold())) {
            fields.add("threshold");
        }
        if (before.getLong$() != after.getLong$()) {
            fields.add("long");
        }
        if (!Objects.equals(before.getAction(), after.getAction())) {
            fields.add("action");
        }
        if (!Objects.equals(before.getReviewMargin(), after.getReviewMargin())) {
            fields.add("reviewMargin");
        }
        if (!before.getLabelId().equals(after.getLabelId())) {
            fields.add("labelId (it differed from the key)");
        }
        return String.join(", ", fields);
    }
}
