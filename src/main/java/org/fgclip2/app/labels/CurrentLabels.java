package org.fgclip2.app.labels;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fgclip2.avro.LabelDefinition;

/**
 * The label definitions the compacted topic holds now: the latest value of every key, deleted keys left out.
 *
 * @param byId the definitions that could be read, by record key
 * @param unreadable keys whose latest value could not be deserialized, with the reason; their label set is unknown
 */
public record CurrentLabels(Map<String, LabelDefinition> byId, Map<String, String> unreadable) {

    public CurrentLabels {
        byId = Map.copyOf(byId);
        unreadable = Map.copyOf(unreadable);
    }

    /** The labels of one set, sorted by id. */
    public SortedMap<String, LabelDefinition> inSet(String labelSet) {
        SortedMap<String, LabelDefinition> out = new TreeMap<>();
        byId.forEach((id, d) -> {
            if (labelSet.equals(d.getLabelSet())) {
                out.put(id, d);
            }
        });
        return out;
    }

    public SortedSet<String> labelSets() {
        SortedSet<String> sets = new TreeSet<>();
        byId.values().forEach(d -> sets.add(d.getLabelSet()));
        return sets;
    }
}
