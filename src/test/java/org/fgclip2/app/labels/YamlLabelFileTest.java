package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.topology.LabelLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlLabelFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheListFormWithEveryField() throws Exception {
        LabelFile file = LabelFile.read(write("labels.yaml", """
                labelSet: animals
                defaultThreshold: 0.3
                labels:
                  - id: cat
                    prompts: ["a photo of a cat", "一只猫的照片"]
                    boxPrompt: cat
                    threshold: 0.25
                  - id: 狗
                    prompts:
                      - a photo of a dog
                      - 一只狗的照片
                    long: true
                """), null);

        assertThat(file.labelSet()).isEqualTo("animals");
        assertThat(file.labels()).containsExactly(
                label("cat", "animals", List.of("a photo of a cat", "一只猫的照片"), "cat", 0.25f, false),
                label("狗", "animals", List.of("a photo of a dog", "一只狗的照片"), null, 0.3f, true));
    }

    @Test
    void readsTheMapFormWithTheKeyAsId() throws Exception {
        LabelFile file = LabelFile.read(write("labels.yml", """
                labels:
                  cat:
                    prompts: ["a photo of a cat", "一只猫的照片"]
                  dog: {prompts: a photo of a dog, threshold: 0.4}
                """), null);

        assertThat(file.labels()).containsExactly(
                label("cat", "default", List.of("a photo of a cat", "一只猫的照片"), null, null, false),
                label("dog", "default", List.of("a photo of a dog"), null, 0.4f, false));
    }

    @Test
    void theLabelSetIsTheOverrideElseTheFilesElseDefault() throws Exception {
        Path named = write("named.yaml", "labelSet: animals\nlabels: [{id: cat, prompts: [a cat]}]\n");
        Path unnamed = write("unnamed.yaml", "labels: [{id: cat, prompts: [a cat]}]\n");

        assertThat(LabelFile.read(named, "pets").labelSet()).isEqualTo("pets");
        assertThat(LabelFile.read(named, "pets").labels().get(0).getLabelSet()).isEqualTo("pets");
        assertThat(LabelFile.read(named, null).labelSet()).isEqualTo("animals");
        assertThat(LabelFile.read(unnamed, null).labelSet()).isEqualTo("default");
    }

    @Test
    void aByteOrderMarkIsFine() throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, ("\uFEFFlabels: [{id: 猫, prompts: [一只猫]}]\n").getBytes(StandardCharsets.UTF_8));

        assertThat(LabelFile.read(file, null).labels()).extracting(LabelDefinition::getLabelId).containsExactly("猫");
    }

    @Test
    void anEmptyListIsAFileWithoutLabels() throws Exception {
        assertThat(LabelFile.read(write("none.yaml", "labels: []\n"), null).labels()).isEmpty();
    }

    @Test
    void everyProblemIsReportedOnceInFileOrder() throws Exception {
        List<String> problems = problems("""
                labelSet: default
                defaultThreshold: 1.3
                colour: red
                labels:
                  - id: cat
                    prompts: ["a photo of a cat", yes]
                    threshold: 2
                    promts: x
                  - id: cat
                    prompts: []
                  - id: "red car"
                    prompts: [" "]
                    long: maybe
                  - prompts: [a]
                  - just text
                """);

        assertThat(problems).containsExactly(
                "the file: unknown key 'colour' (known: labelSet, defaultThreshold, labels)",
                "defaultThreshold 1.3 is outside [0, 1]",
                "label #1 (id 'cat'): unknown key 'promts' (known: id, prompts, boxPrompt, threshold, long, action,"
                        + " reviewMargin)",
                "label #1 (id 'cat'): prompt 2 must be text, not a YAML boolean (put it in quotes)",
                "label #1 (id 'cat'): threshold 2.0 is outside [0, 1]",
                "label #2 (id 'cat'): the id is used twice, first at label #1",
                "label #2 (id 'cat'): no prompts",
                "label #3 (id 'red car'): long must be true or false, not the string 'maybe'",
                "label #3 (id 'red car'): the id contains whitespace or control characters (write e.g. 'red_car')",
                "label #3 (id 'red car'): prompt 1 is empty",
                "label #4: no id",
                "label #5: must be a mapping with id and prompts, not a YAML string");
    }

    @Test
    void idsMustBeUsableRecordKeys() throws Exception {
        assertThat(problems("labels: [{id: '', prompts: [a]}]")).containsExactly("label #1: the id is empty");
        assertThat(problems("labels: [{id: \"a\\tb\", prompts: [a]}]")).singleElement().asString()
                .contains("the id contains whitespace or control characters");
        assertThat(problems("labels: [{id: \" cat\", prompts: [a]}]")).singleElement().asString()
                .contains("(write e.g. 'cat')");
        assertThat(problems("labels: [{id: \"猫\u3000咪\", prompts: [a]}]")).singleElement().asString()
                .contains("(write e.g. '猫_咪')");
        assertThat(problems("labels: [{id: 7, prompts: [a]}, {id: [8], prompts: [b]}]")).containsExactly(
                "label #1: id must be text, not a YAML number (put it in quotes)",
                "label #2: id must be text, not a YAML list");
        assertThat(problems("labels: [{prompts: [a]}]")).containsExactly("label #1: no id");
    }

    @Test
    void promptsMustBeNonEmptyText() throws Exception {
        assertThat(problems("labels: [{id: cat}]")).containsExactly("label #1 (id 'cat'): no prompts");
        assertThat(problems("labels: [{id: cat, prompts: [a, ~]}]"))
                .containsExactly("label #1 (id 'cat'): prompt 2 is empty");
        assertThat(problems("labels: [{id: cat, prompts: [a, 1.50]}]"))
                .containsExactly("label #1 (id 'cat'): prompt 2 must be text, not a YAML number (put it in quotes)");
        assertThat(problems("labels: [{id: cat, prompts: {a: b}}]"))
                .containsExactly("label #1 (id 'cat'): prompts must be text, not a YAML mapping");
        assertThat(problems("labels: [{id: cat, prompts: [a], boxPrompt: ''}]"))
                .containsExactly("label #1 (id 'cat'): boxPrompt is empty (leave it out to use the first prompt)");
    }

    @Test
    void thresholdsAreNumbersInTheUnitInterval() throws Exception {
        assertThat(problems("labels: [{id: cat, prompts: [a], threshold: -0.1}]"))
                .containsExactly("label #1 (id 'cat'): threshold -0.1 is outside [0, 1]");
        assertThat(problems("labels: [{id: cat, prompts: [a], threshold: '0.3'}]")).containsExactly(
                "label #1 (id 'cat'): threshold must be a number between 0 and 1, not the string '0.3'");
        assertThat(problems("defaultThreshold: 2\nlabels: [{id: cat, prompts: [a]}]"))
                .containsExactly("defaultThreshold 2.0 is outside [0, 1]");
        assertThat(LabelFile.read(write("edges.yaml",
                "labels: [{id: a, prompts: [a], threshold: 0}, {id: b, prompts: [b], threshold: 1}]"), null).labels())
                .extracting(LabelDefinition::getThreshold).containsExactly(0f, 1f);
    }

    @Test
    void theMapFormRefusesRepeatedIdsAndAnIdInside() throws Exception {
        assertThat(problems("labels:\n  cat: {prompts: [a]}\n  cat: {prompts: [b]}\n")).singleElement().asString()
                .startsWith("not valid YAML at line 3").contains("Duplicate field 'cat'");
        assertThat(problems("labels:\n  cat: {id: cat, prompts: [a]}\n"))
                .containsExactly("label 'cat': drop 'id': in the map form the key is the id",
                        "label 'cat': unknown key 'id' (known: prompts, boxPrompt, threshold, long, action,"
                                + " reviewMargin)");
        assertThat(problems("labels:\n  cat: [a, b]\n"))
                .containsExactly("label 'cat': must be a mapping with prompts, not a YAML list");
    }

    @Test
    void theFileMustBeOneMappingWithLabels() throws Exception {
        assertThat(problems("")).containsExactly("the file is empty: it needs a 'labels' list");
        assertThat(problems("- id: cat\n")).singleElement().asString().startsWith("the file must be a mapping");
        assertThat(problems("labelSet: x\n")).containsExactly(
                "the file: no 'labels' (a list of labels with id and prompts)");
        assertThat(problems("labels: cat\n")).containsExactly(
                "the file: 'labels' must be a list (or a mapping by id), not a YAML string");
        assertThat(problems("labels: [{id: a, prompts: [a]}]\n---\nlabels: []\n")).containsExactly(
                "the file holds more than one YAML document (---): put one label set per file");
        assertThat(problems("labels:\n  - id: [\n")).singleElement().asString().startsWith("not valid YAML at line");
    }

    @Test
    void anInvalidLabelSetNameIsAProblem() throws Exception {
        Path file = write("set.yaml", "labels: [{id: cat, prompts: [a]}]\n");

        assertThatThrownBy(() -> LabelFile.read(file, "my set")).isInstanceOf(LabelFileException.class)
                .extracting(e -> ((LabelFileException) e).problems()).asList().containsExactly(
                        "label set 'my set' contains whitespace or control characters (write e.g. 'my_set')");
    }

    @Test
    void theMessageListsEveryProblemOnItsOwnLine() throws Exception {
        Path file = write("two.yaml", "labels: [{id: a}, {id: b}]\n");

        assertThatThrownBy(() -> LabelFile.read(file, null)).hasMessage(file + ": 2 problems; no label was sent"
                + System.lineSeparator() + "  label #1 (id 'a'): no prompts"
                + System.lineSeparator() + "  label #2 (id 'b'): no prompts");
    }

    @Test
    void labelsBeyondTheLimitsTheApplicationRunsWithAreProblemsBeforeAnythingIsSent() throws Exception {
        Path file = write("large.yaml", "labels:\n"
                + "  - {id: many, prompts: [a, b, c]}\n"
                + "  - {id: long, prompts: [" + "x".repeat(11) + "]}\n"
                + "  - {id: box, prompts: [a], boxPrompt: " + "y".repeat(11) + "}\n");

        assertThatThrownBy(() -> LabelFile.read(file, null, new LabelLimits(2, 2, 10)))
                .isInstanceOf(LabelFileException.class)
                .extracting(e -> ((LabelFileException) e).problems()).asList().containsExactly(
                        "3 labels, above the limit of 2 per label set (labels.max-per-set)",
                        "label #1 (id 'many'): has 3 prompts, above the limit of 2 (labels.max-prompts)",
                        "label #2 (id 'long'): has a prompt of 11 characters, above the limit of 10"
                                + " (labels.max-prompt-chars)",
                        "label #3 (id 'box'): has a box prompt of 11 characters, above the limit of 10"
                                + " (labels.max-prompt-chars)");
        assertThatThrownBy(() -> LabelFile.read(file, null, new LabelLimits(3, 2, 10)))
                .extracting(e -> ((LabelFileException) e).problems()).asList().containsExactly(
                        "label #1 (id 'many'): has 3 prompts, above the limit of 2 (labels.max-prompts)",
                        "label #2 (id 'long'): has a prompt of 11 characters, above the limit of 10"
                                + " (labels.max-prompt-chars)",
                        "label #3 (id 'box'): has a box prompt of 11 characters, above the limit of 10"
                                + " (labels.max-prompt-chars)");
        assertThat(LabelFile.read(file, null).labels()).as("within the production limits").hasSize(3);
    }

    @Test
    void aFileInAnotherEncodingIsRefused() throws Exception {
        Path file = dir.resolve("gbk.yaml");
        Files.write(file, "labels: [{id: cat, prompts: [一只猫的照片]}]\n".getBytes(Charset.forName("GBK")));

        assertThatThrownBy(() -> LabelFile.read(file, null)).isInstanceOf(LabelFileException.class)
                .hasMessageContaining("the file is not UTF-8 text");
    }

    @Test
    void theFormatComesFromTheExtension() throws Exception {
        Path txt = write("labels.txt", "labels: []\n");

        assertThatThrownBy(() -> LabelFile.read(txt, null)).isInstanceOf(UserInputException.class)
                .hasMessage(txt + ": unknown label file format; name it .yaml, .yml or .csv");
        assertThatThrownBy(() -> LabelFile.read(dir.resolve("missing.yaml"), null))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("no such file: ");
    }

    @Test
    void writtenLabelsReadBackTheSame() throws Exception {
        List<LabelDefinition> labels = List.of(
                label("cat", "animals", List.of("a photo of a cat", "一只猫的照片", "yes", "off", "null",
                        "~", "123", "0.5", "a: b", " leading space", "two\nlines", "'quoted'"), "cat", 0.3f, false),
                label("dog", "animals", List.of("#1 dog"), null, null, true));

        Path file = write("written.yaml", YamlLabels.write("animals", labels));

        assertThat(LabelFile.read(file, null).labels()).isEqualTo(labels);
    }

    @Test
    void actionsAndReviewMarginsAreReadAndChecked() throws Exception {
        LabelFile file = LabelFile.read(write("moderation.yaml", """
                labels:
                  - id: weapon
                    prompts: a photo of a gun
                    threshold: 0.4
                    action: block
                    reviewMargin: 0.1
                  - id: 香烟
                    prompts: 一支香烟
                    action: 人工审核
                  - id: cat
                    prompts: a cat
                """), null);
        assertThat(file.labels()).extracting(LabelDefinition::getAction).containsExactly("block", "人工审核", null);
        assertThat(file.labels()).extracting(LabelDefinition::getReviewMargin).containsExactly(0.1f, null, null);

        assertThat(problems("""
                labels:
                  - id: a
                    prompts: a
                    action: Block
                  - id: b
                    prompts: b
                    action: send to review
                    reviewMargin: 1.5
                  - id: c
                    prompts: c
                    action: 3
                    reviewMargin: wide
                """)).containsExactly(
                "label #1 (id 'a'): action 'Block' has upper-case letters: actions are lower-case words (e.g. block)",
                "label #2 (id 'b'): action 'send to review' is not one word: use letters, digits, '_' or '-'"
                        + " (e.g. block, review)",
                "label #2 (id 'b'): reviewMargin 1.5 is outside [0, 1]",
                "label #3 (id 'c'): action must be text, not a YAML number (put it in quotes)",
                "label #3 (id 'c'): reviewMargin must be a number between 0 and 1, not the string 'wide'");
    }

    @Test
    void whatListWritesReadsBackWithActionsAndMargins() throws Exception {
        LabelFile original = LabelFile.read(write("in.yaml", """
                labelSet: moderation
                labels:
                  - {id: weapon, prompts: [a gun, 一把枪], threshold: 0.4, action: block, reviewMargin: 0.05}
                  - {id: cat, prompts: a cat}
                """), null);
        LabelFile back = LabelFile.read(write("out.yaml", YamlLabels.write("moderation", original.labels())), null);
        assertThat(back.labels()).isEqualTo(original.labels());
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = write("problems.yaml", yaml);
        try {
            LabelFile.read(file, null);
        } catch (LabelFileException e) {
            return e.problems();
        }
        throw new AssertionError("no problems found in\n" + yaml);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    static LabelDefinition label(String id, String set, List<String> prompts, String boxPrompt, Float threshold,
                                 boolean longWalk) {
        return LabelDefinition.newBuilder().setLabelId(id).setLabelSet(set).setPrompts(prompts).setBoxPrompt(boxPrompt)
                .setThreshold(threshold).setLong$(longWalk).build();
    }
}
