package org.fgclip2.app.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fgclip2.app.labels.CsvRecords.Line;

/**
 * The CSV label file (RFC 4180: fields with commas, quotes or line breaks are quoted, {@code ""} is a quote): a
 * header naming the columns {@code id, prompts} and optionally {@code boxPrompt, threshold, long, action,
 * reviewMargin} in any order,
 * then one label per row. Prompts are separated by {@code |} inside their field. Cells are trimmed; an empty
 * optional cell means "not set".
 */
final class CsvLabels {

    static final List<String> COLUMNS = List.of("id", "prompts", "boxPrompt", "threshold", "long", "action",
            "reviewMargin");
    static final String PROMPT_SEPARATOR = "|";

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvLabels() {
    }

    static ParsedLabels parse(String text) {
        List<Line> lines;
        try {
            lines = CsvRecords.read(text);
        } catch (CsvRecords.MalformedCsv e) {
            return ParsedLabels.failed("line " + e.line + ": not valid CSV: " + e.getMessage());
        }
        lines.removeIf(Line::blank);
        if (lines.isEmpty()) {
            return ParsedLabels.failed("the file is empty: its first line must be the header "
                    + String.join(",", COLUMNS));
        }
        List<LabelFileProblem> problems = new ArrayList<>();
        Line header = lines.get(0);
        Map<String, Integer> column = header(header, problems);
        if (!column.containsKey("id") || !column.containsKey("prompts")) {
            return new ParsedLabels(null, null, List.of(), problems);
        }
        List<LabelRow> rows = new ArrayList<>();
        for (Line line : lines.subList(1, lines.size())) {
            String where = "line " + line.number();
            if (line.cells().size() > header.cells().size()) {
                problems.add(new LabelFileProblem(line.number(), where + ": " + line.cells().size()
                        + " fields but the header"
                        + " has " + header.cells().size() + " (put a field that contains a comma in double quotes)"));
                continue;
            }
            String id = line.cell(column.get("id"));
            String who = LabelRow.describe(where, id);
            rows.add(new LabelRow(line.number(), where, id, prompts(line.cell(column.get("prompts"))),
                    emptyToNull(line.cell(column.get("boxPrompt"))),
                    number(line.cell(column.get("threshold")), "threshold", line.number(), who, problems),
                    longWalk(line.cell(column.get("long")), line.number(), who, problems),
                    emptyToNull(line.cell(column.get("action"))),
                    number(line.cell(column.get("reviewMargin")), "reviewMargin", line.number(), who, problems)));
        }
        return new ParsedLabels(null, null, rows, problems);
    }

    private static Map<String, Integer> header(Line line, List<LabelFileProblem> problems) {
        Map<String, Integer> column = new HashMap<>();
        String where = "line " + line.number() + ": ";
        for (int i = 0; i < line.cells().size(); i++) {
            String name = line.cells().get(i);
            if (!COLUMNS.contains(name)) {
                problems.add(new LabelFileProblem(line.number(), where + "unknown column '" + name
                        + "' (the header names "
                        + String.join(", ", COLUMNS) + "; id and prompts are required)"));
            } else if (column.putIfAbsent(name, i) != null) {
                problems.add(new LabelFileProblem(line.number(),
                        where + "column '" + name + "' appears twice in the header"));
            }
        }
        for (String required : COLUMNS.subList(0, 2)) {
            if (!column.containsKey(required)) {
                problems.add(new LabelFileProblem(line.number(), where + "the header has no '" + required
                        + "' column (it"
                        + " must name " + String.join(",", COLUMNS.subList(0, 2)) + " and may add "
                        + String.join(",", COLUMNS.subList(2, COLUMNS.size())) + ")"));
            }
        }
        return column;
    }

    private static List<String> prompts(String cell) {
        if (cell.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(cell.split(Pattern.quote(PROMPT_SEPARATOR), -1)).map(String::strip).toList();
    }

    private static Float number(String cell, String name, int position, String who,
                                List<LabelFileProblem> problems) {
        if (cell.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(cell).matches()) {
            problems.add(new LabelFileProblem(position, who + ": " + name + " '" + cell + "' is not a number"
                    + (cell.contains(",") ? " (write the decimals after a dot: 0.25)" : "")));
            return null;
        }
        return (float) Double.parseDouble(cell);
    }

    private static boolean longWalk(String cell, int position, String who, List<LabelFileProblem> problems) {
        if (cell.isEmpty() || cell.equalsIgnoreCase("false")) {
            return false;
        }
        if (cell.equalsIgnoreCase("true")) {
            return true;
        }
        problems.add(new LabelFileProblem(position, who + ": long must be true or false, got '" + cell + "'"));
        return false;
    }

    private static String emptyToNull(String cell) {
        return cell.isEmpty() ? null : cell;
    }
}
