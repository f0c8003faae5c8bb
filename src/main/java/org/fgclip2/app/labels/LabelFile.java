package org.fgclip2.app.labels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.topology.LabelLimits;
import org.fgclip2.topology.LabelRules;

/**
 * A checked label file: the definitions it states for one label set, exactly as they will be sent. The format
 * follows the extension ({@code .yaml}, {@code .yml}, {@code .csv}); the text must be UTF-8 (a byte order mark is
 * fine). The checks include everything the topology refuses, so a file that reads here is never dead-lettered.
 *
 * @param labels in file order
 */
public record LabelFile(Path source, String labelSet, List<LabelDefinition> labels) {

    public static final String DEFAULT_LABEL_SET = "default";

    public LabelFile {
        labels = List.copyOf(labels);
    }

    /**
     * Reads and checks a label file against the label limits the application runs with: the defaults, or the
     * {@code FGCLIP2_LABELS_*} environment variables, as {@code run} and {@code dev} read them.
     *
     * @param labelSetOverride the label set to use whatever the file says; null = the file's, else "default"
     * @throws LabelFileException listing every problem of the file
     * @throws UserInputException when the file cannot be read or its extension is not a known format
     */
    public static LabelFile read(Path file, String labelSetOverride) {
        return read(file, labelSetOverride, AppConfig.load(null, System.getenv()).labeling().labelLimits());
    }

    /** Reads and checks a label file against these limits. */
    public static LabelFile read(Path file, String labelSetOverride, LabelLimits limits) {
        boolean yaml = isYaml(file);
        if (!yaml && !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new UserInputException(file + ": unknown label file format; name it .yaml, .yml or .csv");
        }
        String text = utf8(file);
        ParsedLabels parsed = yaml ? YamlLabels.parse(text) : CsvLabels.parse(text);
        String labelSet = labelSetOverride != null ? labelSetOverride
                : parsed.labelSet() != null ? parsed.labelSet() : DEFAULT_LABEL_SET;
        List<LabelFileProblem> problems = new ArrayList<>(parsed.problems());
        List<LabelDefinition> labels = check(parsed, labelSet, problems, limits);
        if (!problems.isEmpty()) {
            throw new LabelFileException(file, problems.stream()
                    .sorted(Comparator.comparingInt(LabelFileProblem::position)).map(LabelFileProblem::message)
                    .toList());
        }
        return new LabelFile(file, labelSet, labels);
    }

    /** Whether a label file is YAML by its name ({@code .yaml}, {@code .yml}, any case); else CSV or unknown. */
    static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /**
     * Why a label id or label set name cannot be a record key, or null when it can. Ids are the keys of a
     * compacted topic and appear in URLs and file names downstream, so what this command writes carries no
     * whitespace or control characters. The topology does not refuse such ids: labels that other producers wrote
     * before this rule keep working.
     */
    private static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "is empty";
        }
        if (key.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c))) {
            return "contains whitespace or control characters (write e.g. '"
                    + key.strip().replaceAll("[\\s\\p{Z}\\p{Cc}]+", "_") + "')";
        }
        return null;
    }

    private static List<LabelDefinition> check(ParsedLabels parsed, String labelSet, List<LabelFileProblem> problems,
                                               LabelLimits limits) {
        String setProblem = keyProblem(labelSet);
        if (setProblem != null) {
            problems.add(new LabelFileProblem(0, "label set '" + labelSet + "' " + setProblem));
        }
        Float defaultThreshold = parsed.defaultThreshold();
        String defaultProblem = LabelRules.thresholdProblem("defaultThreshold", defaultThreshold);
        if (defaultProblem != null) {
            problems.add(new LabelFileProblem(0, defaultProblem));
        }
        if (parsed.rows().size() > limits.maxPerSet()) {
            problems.add(new LabelFileProblem(0, parsed.rows().size() + " labels, above the limit of "
                    + limits.maxPerSet() + " per label set (labels.max-per-set)"));
        }
        Map<String, LabelRow> seen = new HashMap<>();
        for (LabelRow row : parsed.rows()) {
            for (String wrong : problemsOf(row, seen, limits)) {
                problems.add(new LabelFileProblem(row.position(), row.describe() + ": " + wrong));
            }
        }
        if (!problems.isEmpty()) {
            return List.of();
        }
        return parsed.rows().stream().map(row -> LabelDefinition.newBuilder()
                .setLabelId(row.id())
                .setLabelSet(labelSet)
                .setPrompts(List.copyOf(row.prompts()))
                .setBoxPrompt(row.boxPrompt())
                .setThreshold(row.threshold() != null ? row.threshold() : defaultThreshold)
                .setLong$(row.longWalk())
                .setAction(row.action())
                .setReviewMargin(row.reviewMargin())
                .build()).toList();
    }

    /**
     * What is wrong with one label: the rules the topology checks, and what this command asks more of a file (ids
     * as record keys, each id once, no empty box prompt); {@code seen} collects the ids so far.
     */
    private static List<String> problemsOf(LabelRow row, Map<String, LabelRow> seen, LabelLimits limits) {
        List<String> wrong = new ArrayList<>(LabelRules.idProblems(row.id()));
        if (row.id() != null) {
            String idProblem = row.id().isBlank() ? null : keyProblem(row.id());
            if (idProblem != null) {
                wrong.add("the id " + idProblem);
            }
            LabelRow first = seen.putIfAbsent(row.id(), row);
            if (first != null) {
                wrong.add("the id is used twice" + (first.where() == null ? "" : ", first at " + first.where()));
            }
        }
        wrong.addAll(LabelRules.contentProblems(row.prompts(), row.boxPrompt(), row.threshold(), limits));
        wrong.addAll(LabelRules.decisionProblems(row.action(), row.reviewMargin()));
        if (row.boxPrompt() != null && row.boxPrompt().isBlank()) {
            // The topology reads a blank box prompt as "the first prompt"; in a file it is more likely a lost value.
            wrong.add("boxPrompt is empty (leave it out to use the first prompt)");
        }
        return wrong;
    }

    private static String utf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException("no such file: " + file);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LabelFileException(file, List.of("the file is not UTF-8 text: save it as UTF-8"
                    + " (in Excel: \"CSV UTF-8\"; GBK or Latin-1 files must be converted)"));
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
