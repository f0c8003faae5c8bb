package org.fgclip2.app.labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.labels.CsvRecords.Line;

/**
 * The truth of a calibration set, from a CSV with the header {@code file,labelId,positive} (any order): one row per
 * image and label whose truth is known, {@code positive} {@code yes} or {@code no}. Files are paths relative to the
 * image folder. An image without a row for a label has an unknown truth for it and is left out of that label's set.
 *
 * @param images the images named, relative to the folder, in the order first named
 * @param truth per label id, per image, whether the label applies
 */
record TruthTable(List<String> images, Map<String, Map<String, Boolean>> truth) {

    static final List<String> COLUMNS = List.of("file", "labelId", "positive");
    private static final int MAX_LISTED_IDS = 10;

    /** The truth of one label, empty when the CSV has none. */
    Map<String, Boolean> of(String labelId) {
        return truth.getOrDefault(labelId, Map.of());
    }

    /**
     * Reads and checks the CSV: every row must name an image of the folder and a label of the label file, once.
     *
     * @param labelIds the labels of the label file, in its order
     * @throws UserInputException listing every problem, one per line with its line number
     */
    static TruthTable read(Path csv, Path imageFolder, List<String> labelIds) {
        if (!Files.isDirectory(imageFolder)) {
            throw new UserInputException("no such image folder: " + imageFolder);
        }
        List<Line> rows = records(csv);
        List<String> problems = new ArrayList<>();
        if (rows.isEmpty()) {
            throw new UserInputException(csv + ": the truth CSV is empty; its first line must be the header "
                    + String.join(",", COLUMNS));
        }
        Map<String, Integer> column = header(rows.get(0).cells(), problems);
        if (!problems.isEmpty()) {
            throw problems(csv, problems);
        }
        Path folder = imageFolder.toAbsolutePath().normalize();
        Set<String> labels = new LinkedHashSet<>(labelIds);
        Set<String> images = new LinkedHashSet<>();
        Map<String, Map<String, Boolean>> truth = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            Line row = rows.get(r);
            int line = row.number();
            if (row.blank()) {
                continue;
            }
            String where = "line " + line + ": ";
            if (row.cells().size() > rows.get(0).cells().size()) {
                problems.add(where + row.cells().size() + " fields but the header has " + rows.get(0).cells().size()
                        + " (put a file name that contains a comma in double quotes)");
                continue;
            }
            String file = row.cell(column.get("file"));
            String labelId = row.cell(column.get("labelId"));
            String positive = row.cell(column.get("positive")).toLowerCase(Locale.ROOT);
            int before = problems.size();
            String image = image(folder, file, where, problems);
            if (labelId.isEmpty()) {
                problems.add(where + "no labelId");
            } else if (!labels.contains(labelId)) {
                problems.add(where + "unknown label '" + labelId + "': the label file defines " + listed(labels));
            }
            if (!positive.equals("yes") && !positive.equals("no")) {
                problems.add(where + "positive must be yes or no, not '" + row.cell(column.get("positive")) + "'");
            }
            if (problems.size() > before) {
                continue;
            }
            Integer first = firstLine.putIfAbsent(image + "\n" + labelId, line);
            if (first != null) {
                problems.add(where + "image '" + image + "' and label '" + labelId + "' are already given at line "
                        + first + " (one row per image and label)");
                continue;
            }
            images.add(image);
            truth.computeIfAbsent(labelId, k -> new LinkedHashMap<>()).put(image, positive.equals("yes"));
        }
        if (!problems.isEmpty()) {
            throw problems(csv, problems);
        }
        return new TruthTable(List.copyOf(images), truth);
    }

    /** The image a row names, as a path relative to the folder with {@code /}; null after reporting a problem. */
    private static String image(Path folder, String file, String where, List<String> problems) {
        if (file.isEmpty()) {
            problems.add(where + "no file");
            return null;
        }
        Path path;
        try {
            path = folder.resolve(file).normalize();
        } catch (InvalidPathException e) {
            problems.add(where + "'" + file + "' is not a valid file name");
            return null;
        }
        if (!path.startsWith(folder) || path.equals(folder)) {
            problems.add(where + "'" + file + "' is not inside the image folder " + folder
                    + " (write paths relative to it)");
            return null;
        }
        if (!Files.isRegularFile(path)) {
            problems.add(where + "no image '" + file + "' in " + folder);
            return null;
        }
        return folder.relativize(path).toString().replace('\\', '/');
    }

    private static Map<String, Integer> header(List<String> header, List<String> problems) {
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (!COLUMNS.contains(name)) {
                problems.add("line 1: unknown column '" + name + "' (the header must be "
                        + String.join(",", COLUMNS) + ")");
            } else if (column.putIfAbsent(name, i) != null) {
                problems.add("line 1: column '" + name + "' appears twice in the header");
            }
        }
        for (String required : COLUMNS) {
            if (!column.containsKey(required)) {
                problems.add("line 1: the header has no '" + required + "' column (it must be "
                        + String.join(",", COLUMNS) + ")");
            }
        }
        return column;
    }

    private static String listed(Set<String> labels) {
        List<String> ids = labels.stream().limit(MAX_LISTED_IDS).toList();
        return String.join(", ", ids) + (labels.size() > ids.size() ? ", ... (" + labels.size() + " labels)" : "");
    }

    private static UserInputException problems(Path csv, List<String> problems) {
        return new UserInputException(csv + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + " in the truth CSV; nothing was scored" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", problems));
    }

    /** The CSV's records, each with the line it starts on. */
    private static List<Line> records(Path csv) {
        String text;
        try {
            text = Files.readString(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserInputException("no such truth CSV: " + csv);
        } catch (IOException e) {
            throw new UserInputException("cannot read the truth CSV " + csv + " as UTF-8: " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            return CsvRecords.read(text);
        } catch (CsvRecords.MalformedCsv e) {
            throw new UserInputException(csv + ": line " + e.line + ": not valid CSV: " + e.getMessage());
        }
    }
}
