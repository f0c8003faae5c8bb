package org.fgclip2.app.labels;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fgclip2.avro.LabelDefinition;

/**
 * The YAML label file: an optional {@code labelSet} and {@code defaultThreshold}, and {@code labels} either as a
 * list of mappings with an {@code id} or as a mapping from id to label. Values must have the YAML type they mean:
 * an unquoted {@code yes} is a boolean and {@code 1.50} a number, so neither is taken as a prompt.
 */
final class YamlLabels {

    static final List<String> FILE_KEYS = List.of("labelSet", "defaultThreshold", "labels");
    static final List<String> LABEL_KEYS = List.of("id", "prompts", "boxPrompt", "threshold", "long", "action",
            "reviewMargin");

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            // a repeated id in the map form would otherwise silently replace the first label
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a prompt "123" written bare would read back as a number
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private YamlLabels() {
    }

    static ParsedLabels parse(String text) {
        List<LabelFileProblem> problems = new ArrayList<>();
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(text)) {
            root = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                problems.add(new LabelFileProblem(0,
                        "the file holds more than one YAML document (---): put one label set per file"));
            }
        } catch (JsonProcessingException e) {
            return ParsedLabels.failed(syntaxError(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return ParsedLabels.failed("the file is empty: it needs a 'labels' list");
        }
        if (!root.isObject()) {
            return ParsedLabels.failed("the file must be a mapping with the keys " + String.join(", ", FILE_KEYS)
                    + ", not a YAML " + typeName(root));
        }
        Reader file = new Reader(0, "the file", problems);
        file.unknownKeys(root, FILE_KEYS);
        String labelSet = file.text(root.get("labelSet"), "labelSet");
        Float defaultThreshold = file.number(root.get("defaultThreshold"), "defaultThreshold");
        List<LabelRow> rows = new ArrayList<>();
        JsonNode labels = root.get("labels");
        if (labels == null || labels.isNull()) {
            file.problem("no 'labels' (a list of labels with id and prompts)");
        } else if (labels.isArray()) {
            for (int i = 0; i < labels.size(); i++) {
                String where = "label #" + (i + 1);
                JsonNode label = labels.get(i);
                if (!label.isObject()) {
                    problems.add(new LabelFileProblem(i + 1, where
                            + ": must be a mapping with id and prompts, not a YAML "
                            + typeName(label)));
                    continue;
                }
                JsonNode idNode = label.get("id");
                String id = new Reader(i + 1, where, problems).text(idNode, "id");
                if (id == null && idNode != null && !idNode.isNull()) {
                    id = idNode.toString(); // reported as not text; the name only serves later messages
                }
                rows.add(row(i + 1, where, id, label, LABEL_KEYS, problems));
            }
        } else if (labels.isObject()) {
            List<String> keys = LABEL_KEYS.subList(1, LABEL_KEYS.size());
            int position = 0;
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                position++;
                JsonNode label = e.getValue();
                if (!label.isObject() && !label.isNull()) {
                    problems.add(new LabelFileProblem(position, LabelRow.describe(null, e.getKey())
                            + ": must be a mapping with prompts, not a YAML " + typeName(label)));
                    continue;
                }
                if (label.has("id")) {
                    problems.add(new LabelFileProblem(position, LabelRow.describe(null, e.getKey())
                            + ": drop 'id': in the map form the key is the id"));
                }
                rows.add(row(position, null, e.getKey(), label, keys, problems));
            }
        } else {
            file.problem("'labels' must be a list (or a mapping by id), not a YAML " + typeName(labels));
        }
        return new ParsedLabels(labelSet, defaultThreshold, rows, problems);
    }

    private static LabelRow row(int position, String where, String id, JsonNode label, List<String> keys,
                                List<LabelFileProblem> problems) {
        if (label.isNull()) {
            return new LabelRow(position, where, id, List.of(), null, null, false, null, null);
        }
        Reader reader = new Reader(position, LabelRow.describe(where, id), problems);
        reader.unknownKeys(label, keys);
        List<String> prompts = new ArrayList<>();
        JsonNode p = label.get("prompts");
        if (p != null && p.isArray()) {
            for (int i = 0; i < p.size(); i++) {
                JsonNode prompt = p.get(i);
                // an empty element is the common rules' "empty prompt"; a non-text one is reported here
                prompts.add(prompt.isNull() ? "" : reader.text(prompt, "prompt " + (i + 1)));
            }
        } else if (p != null && !p.isNull()) {
            prompts.add(reader.text(p, "prompts"));
        }
        String boxPrompt = reader.text(label.get("boxPrompt"), "boxPrompt");
        Float threshold = reader.number(label.get("threshold"), "threshold");
        boolean longWalk = false;
        JsonNode l = label.get("long");
        if (l != null && !l.isNull()) {
            if (l.isBoolean()) {
                longWalk = l.booleanValue();
            } else {
                reader.problem("long must be true or false, not " + shown(l));
            }
        }
        return new LabelRow(position, where, id, prompts, boxPrompt, threshold, longWalk,
                reader.text(label.get("action"), "action"), reader.number(label.get("reviewMargin"), "reviewMargin"));
    }

    /** The YAML file {@link #parse} reads back to these labels of one set. */
    static String write(String labelSet, List<LabelDefinition> labels) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("labelSet", labelSet);
        ArrayNode list = root.putArray("labels");
        for (LabelDefinition d : labels) {
            ObjectNode label = list.addObject();
            label.put("id", d.getLabelId());
            ArrayNode prompts = label.putArray("prompts");
            d.getPrompts().forEach(prompts::add);
            if (d.getBoxPrompt() != null) {
                label.put("boxPrompt", d.getBoxPrompt());
            }
            if (d.getThreshold() != null) {
                label.put("threshold", d.getThreshold());
            }
            if (d.getLong$()) {
                label.put("long", true);
            }
            if (d.getAction() != null) {
                label.put("action", d.getAction());
            }
            if (d.getReviewMargin() != null) {
                label.put("reviewMargin", d.getReviewMargin());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write label set '" + labelSet + "' as YAML", e);
        }
    }

    /** Reads values of one part of the file, reporting those of the wrong type as problems of that part. */
    private record Reader(int position, String who, List<LabelFileProblem> problems) {

        void problem(String what) {
            problems.add(new LabelFileProblem(position, who + ": " + what));
        }

        void unknownKeys(JsonNode node, List<String> known) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (!known.contains(property.getKey())) {
                    problem("unknown key '" + property.getKey() + "' (known: " + String.join(", ", known) + ")");
                }
            }
        }

        String text(JsonNode node, String what) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            problem(what + " must be text, not " + shown(node) + (node.isValueNode() ? " (put it in quotes)" : ""));
            return null;
        }

        Float number(JsonNode node, String what) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isNumber()) {
                return (float) node.doubleValue();
            }
            problem(what + " must be a number between 0 and 1, not " + shown(node));
            return null;
        }
    }

    /** A value as messages show it: its YAML type, and the text of a string. */
    private static String shown(JsonNode node) {
        return node.isTextual() ? "the string '" + node.textValue() + "'" : "a YAML " + typeName(node);
    }

    private static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "list";
            case OBJECT -> "mapping";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case STRING -> "string";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** One line out of SnakeYAML's multi-line report: what it says, at the last position it names. */
    private static String syntaxError(JsonProcessingException e) {
        List<String> said = new ArrayList<>();
        String position = null;
        for (String line : e.getOriginalMessage().split("\n")) {
            Matcher m = MARK.matcher(line);
            if (m.find()) {
                position = "line " + m.group(1) + ", column " + m.group(2);
            } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                said.add(line.strip());
            }
        }
        if (position == null && e.getLocation() != null) {
            position = "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return "not valid YAML" + (position == null ? "" : " at " + position) + ": " + String.join(", ", said);
    }
}
