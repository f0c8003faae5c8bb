package org.fgclip2.app.labels;

import java.util.List;

/**
 * One label as a file states it, before the rules every format shares are checked. Fields a format could not read
 * are null, and prompts it could not read are null elements (the format has reported why).
 *
 * @param position the line (CSV) or label number (YAML) the label starts at, for ordering problems
 * @param where where the label is in the file, for messages: {@code line 4} (CSV), {@code label #3} (YAML list),
 *     or null when the id alone names it (YAML map)
 * @param prompts empty when none were given
 * @param boxPrompt null = the first prompt
 * @param threshold null = the file's default threshold, else the application's
 * @param action null = none
 * @param reviewMargin null = no review band
 */
record LabelRow(int position, String where, String id, List<String> prompts, String boxPrompt, Float threshold,
                boolean longWalk, String action, Float reviewMargin) {

    /** How messages name this label: its place in the file and, when it has one, its id. */
    String describe() {
        return describe(where, id);
    }

    static String describe(String where, String id) {
        boolean named = id != null && !id.isEmpty();
        if (where == null) {
            return named ? "label '" + id + "'" : "a label";
        }
        return named ? where + " (id '" + id + "')" : where;
    }
}
