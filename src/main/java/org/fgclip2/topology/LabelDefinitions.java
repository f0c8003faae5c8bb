package org.fgclip2.topology;

import org.fgclip2.avro.LabelDefinition;

/** Checks a label definition before it is embedded; the reason goes into the dead letter. */
final class LabelDefinitions {
    private LabelDefinitions() {
    }

    /** @return null when valid, else why not */
    static String problem(String key, LabelDefinition d) {
        if (d.getLabelId() == null || d.getLabelId().isBlank()) {
            return "labelId is empty";
        }
        if (key == null || !key.equals(d.getLabelId())) {
            return "record key '" + key + "' differs from labelId '" + d.getLabelId()
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
        Float t = d.getThreshold();
        if (t != null && !(t >= 0f && t <= 1f)) {
            return "label '" + d.getLabelId() + "' has threshold " + t + ", outside [0, 1]";
        }
        return null;
    }
}
