package org.fgclip2.app.labels;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.avro.LabelDefinition;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Writes new thresholds into a label file by editing its text, so that comments, order, quoting and keys or columns
 * this class does not know stay as they were: a YAML label's {@code threshold} value is replaced, or a
 * {@code threshold} key added to the label (a line in a block mapping, an entry in a flow mapping); a CSV row's
 * threshold cell is set, the column added at the end of the header when it has none.
 */
final class ThresholdRewriter {

    private ThresholdRewriter() {
    }

    /**
     * Writes {@code original}'s file with these thresholds to {@code out} (which may be the file itself), after
     * checking that the new text reads back to the same labels with only these thresholds changed.
     *
     * @param thresholds per label id; labels it does not name keep their threshold
     */
    static void write(LabelFile original, Map<String, Float> thresholds, Path out) {
        requireSameFormat(original.source(), out);
        boolean yaml = LabelFile.isYaml(out);
        String text;
        try {
            text = Files.readString(original.source(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + original.source() + " again: " + e.getMessage(), e);
        }
        String bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
        String edited = bom + rewrite(text.substring(bom.length()), yaml, thresholds);
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            // same extension, so that the check reads it as the format it is
            Path temporary = Files.createTempFile(parent, ".calibrated-", yaml ? ".yaml" : ".csv");
            try {
                Files.writeString(temporary, edited, StandardCharsets.UTF_8);
                check(original, thresholds, LabelFile.read(temporary, null));
                move(temporary, out);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Refuses an output file whose extension names another format than the label file's. */
    static void requireSameFormat(Path labelFile, Path out) {
        boolean yaml = LabelFile.isYaml(labelFile);
        if (yaml != LabelFile.isYaml(out) || !(yaml || out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            throw new UserInputException("--out " + out + " must have the format of the label file: name it ."
                    + (yaml ? "yaml or .yml" : "csv"));
        }
    }

    /** The text with these thresholds; the text is a label file that reads without problems. */
    static String rewrite(String text, boolean yaml, Map<String, Float> thresholds) {
        List<Edit> edits = yaml ? YamlEdits.of(text, thresholds) : CsvEdits.of(text, thresholds);
        StringBuilder out = new StringBuilder(text);
        edits.stream().sorted(Comparator.comparingInt(Edit::start).reversed())
                .forEach(e -> out.replace(e.start(), e.end(), e.text()));
        return out.toString();
    }

    /** Replace {@code [start, end)} (chars) by {@code text}. */
    private record Edit(int start, int end, String text) {
    }

    /** A threshold as the file writes it: the float's shortest decimal, never in exponent notation. */
    static String decimal(float threshold) {
        BigDecimal shortest = new BigDecimal(Float.toString(threshold)).stripTrailingZeros();
        return (shortest.scale() < 1 ? shortest.setScale(1) : shortest).toPlainString();
    }

    private static void check(LabelFile original, Map<String, Float> thresholds, LabelFile written) {
        List<LabelDefinition> expected = original.labels().stream().map(d -> thresholds.containsKey(d.getLabelId())
                ? LabelDefinition.newBuilder(d).setThreshold(thresholds.get(d.getLabelId())).build() : d).toList();
        if (!written.labels().equals(expected) || !written.labelSet().equals(original.labelSet())) {
            throw new IllegalStateException("the rewritten label file does not read back to the calibrated labels;"
                    + " nothing was written. Expected " + expected + ", read " + written.labels());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The edits of a YAML label file, located with SnakeYAML's node positions. */
    private static final class YamlEdits {

        private final String text;
        private final int[] charIndex;
        private final String lineEnd;

        private YamlEdits(String text) {
            this.text = text;
            this.charIndex = text.codePointCount(0, text.length()) == text.length() ? null : codePointOffsets(text);
            this.lineEnd = text.contains("\r\n") ? "\r\n" : "\n";
        }

        static List<Edit> of(String text, Map<String, Float> thresholds) {
            YamlEdits file = new YamlEdits(text);
            Node root = new Yaml().compose(new StringReader(text));
            Node labels = root instanceof MappingNode m ? value(m, "labels") : null;
            List<Edit> edits = new ArrayList<>();
            if (labels instanceof SequenceNode list) {
                for (Node label : list.getValue()) {
                    if (label instanceof MappingNode m && value(m, "id") instanceof ScalarNode id
                            && thresholds.containsKey(id.getValue())) {
                        edits.add(file.edit(m, thresholds.get(id.getValue())));
                    }
                }
            } else if (labels instanceof MappingNode byId) {
                for (NodeTuple t : byId.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode id && t.getValueNode() instanceof MappingNode m
                            && thresholds.containsKey(id.getValue())) {
                        edits.add(file.edit(m, thresholds.get(id.getValue())));
                    }
                }
            }
            return edits;
        }

        private static Node value(MappingNode mapping, String key) {
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
            return null;
        }

        private Edit edit(MappingNode label, float threshold) {
            String value = decimal(threshold);
            Node old = value(label, "threshold");
            if (old != null) {
                int start = index(old.getStartMark().getIndex());
                int end = index(old.getEndMark().getIndex());
                // "threshold:" with nothing after it: the empty value sits right after the colon
                return new Edit(start, end, start == end ? " " + value : value);
            }
            List<NodeTuple> entries = label.getValue();
            int after = lastEnd(entries.get(entries.size() - 1).getValueNode());
            if (label.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
                return new Edit(after, after, ", threshold: " + value);
            }
            int column = entries.get(0).getKeyNode().getStartMark().getColumn();
            String line = " ".repeat(column) + "threshold: " + value + lineEnd;
            if (after > 0 && text.charAt(after - 1) == '\n') {
                return new Edit(after, after, line);
            }
            // after the rest of the last value's line, so a comment at its end stays there
            int newline = text.indexOf('\n', after);
            return newline >= 0 ? new Edit(newline + 1, newline + 1, line)
                    : new Edit(text.length(), text.length(), lineEnd + line);
        }

        /**
         * Where a value's text ends. A block collection ends where the next token starts, which can be lines of
         * comments further down, so its end is that of its last element.
         */
        private int lastEnd(Node node) {
            if (node.getStartMark() != null && isBlock(node)) {
                if (node instanceof SequenceNode s && !s.getValue().isEmpty()) {
                    return lastEnd(s.getValue().get(s.getValue().size() - 1));
                }
                if (node instanceof MappingNode m && !m.getValue().isEmpty()) {
                    return lastEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
                }
            }
            return index(node.getEndMark().getIndex());
        }

        private static boolean isBlock(Node node) {
            return node instanceof SequenceNode s ? s.getFlowStyle() == DumperOptions.FlowStyle.BLOCK
                    : node instanceof MappingNode m && m.getFlowStyle() == DumperOptions.FlowStyle.BLOCK;
        }

        /** SnakeYAML counts code points; Java strings count chars (two for a character beyond the BMP). */
        private int index(int codePoint) {
            return charIndex == null ? codePoint : charIndex[codePoint];
        }

        private static int[] codePointOffsets(String text) {
            int[] out = new int[text.codePointCount(0, text.length()) + 1];
            int c = 0;
            for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
                out[c++] = i;
            }
            out[c] = text.length();
            return out;
        }
    }

    /** The edits of a CSV label file, on the spans of its cells (RFC 4180, as {@link CsvLabels} reads it). */
    private static final class CsvEdits {

        /** A record: each cell's {@code [start, end)} in the text, and where the record ends before its line break. */
        private record Row(List<int[]> cells, int end) {
        }

        static List<Edit> of(String text, Map<String, Float> thresholds) {
            List<Row> rows = rows(text);
            rows.removeIf(r -> r.cells().stream().allMatch(c -> value(text, c).isEmpty()));
            List<Edit> edits = new ArrayList<>();
            if (rows.isEmpty()) {
                return edits;
            }
            Row header = rows.get(0);
            List<String> names = header.cells().stream().map(c -> value(text, c)).toList();
            int idColumn = names.indexOf("id");
            int column = names.indexOf("threshold");
            if (column < 0) {
                column = names.size();
                edits.add(new Edit(header.end(), header.end(), ",threshold"));
            }
            for (Row row : rows.subList(1, rows.size())) {
                String id = idColumn < row.cells().size() ? value(text, row.cells().get(idColumn)) : "";
                Float threshold = thresholds.get(id);
                if (threshold == null) {
                    continue;
                }
                if (column < row.cells().size()) {
                    int[] cell = row.cells().get(column);
                    edits.add(new Edit(cell[0], cell[1], decimal(threshold)));
                } else {
                    edits.add(new Edit(row.end(), row.end(),
                            ",".repeat(column - row.cells().size() + 1) + decimal(threshold)));
                }
            }
            return edits;
        }

        private static List<Row> rows(String text) {
            List<Row> rows = new ArrayList<>();
            int i = 0;
            int n = text.length();
            while (i < n) {
                List<int[]> cells = new ArrayList<>();
                while (true) {
                    int start = i;
                    if (i < n && text.charAt(i) == '"') {
                        i++;
                        while (i < n && !(text.charAt(i) == '"' && (i + 1 >= n || text.charAt(i + 1) != '"'))) {
                            i += text.charAt(i) == '"' ? 2 : 1;
                        }
                        i++;
                    }
                    while (i < n && ",\r\n".indexOf(text.charAt(i)) < 0) {
                        i++;
                    }
                    cells.add(new int[] {start, Math.min(i, n)});
                    if (i < n && text.charAt(i) == ',') {
                        i++;
                    } else {
                        break;
                    }
                }
                rows.add(new Row(cells, Math.min(i, n)));
                if (i < n && text.charAt(i) == '\r') {
                    i++;
                }
                if (i < n && text.charAt(i) == '\n') {
                    i++;
                }
            }
            return rows;
        }

        /** A cell as {@link CsvLabels} reads it: unquoted and trimmed. */
        private static String value(String text, int[] cell) {
            String raw = text.substring(cell[0], cell[1]).strip();
            if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
                return raw.substring(1, raw.length() - 1).replace("\"\"", "\"").strip();
            }
            return raw;
        }
    }
}
