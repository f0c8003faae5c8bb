package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.avro.LabelDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New thresholds written into label files by editing their text: everything else stays as it was. */
class ThresholdRewriterTest {

    @TempDir
    Path dir;

    private static String yaml(String text, Map<String, Float> thresholds) {
        return ThresholdRewriter.rewrite(text, true, thresholds);
    }

    @Test
    void yamlListFormReplacesOrAddsTheThresholdAndKeepsComments() {
        String text = """
                # pets, tuned by hand
                labelSet: pets
                labels:
                  - id: cat   # the cat
                    prompts: ["a photo of a cat", "一只猫的照片"]
                    threshold: 0.25  # was guessed
                  - id: dog
                    prompts:
                      - a photo of a dog
                      - 一只狗的照片
                  # the bird is new
                  - id: bird
                    prompts: a bird
                    long: true   # keep
                  - id: fish
                    prompts: a fish
                """;

        String out = yaml(text, Map.of("cat", 0.4125f, "dog", 0.5f, "bird", 0.0625f));

        assertThat(out).isEqualTo("""
                # pets, tuned by hand
                labelSet: pets
                labels:
                  - id: cat   # the cat
                    prompts: ["a photo of a cat", "一只猫的照片"]
                    threshold: 0.4125  # was guessed
                  - id: dog
                    prompts:
                      - a photo of a dog
                      - 一只狗的照片
                    threshold: 0.5
                  # the bird is new
                  - id: bird
                    prompts: a bird
                    long: true   # keep
                    threshold: 0.0625
                  - id: fish
                    prompts: a fish
                """);
    }

    @Test
    void yamlMapFormAndFlowMappings() {
        String text = """
                labels:
                  cat: {prompts: ["a photo of a cat", "一只猫的照片"], threshold: 0.25}
                  dog: {prompts: [a dog]}   # flow, no threshold
                  "猫咪":
                    prompts: ["a kitten 🐱"]
                  bird: {
                    prompts: [a bird],
                    boxPrompt: bird
                  }
                  fish:
                    prompts: [a fish]
                    threshold:
                """;

        String out = yaml(text, Map.of("cat", 0.5f, "dog", 0.125f, "猫咪", 0.75f, "bird", 0.375f, "fish", 1e-4f));

        assertThat(out).isEqualTo("""
                labels:
                  cat: {prompts: ["a photo of a cat", "一只猫的照片"], threshold: 0.5}
                  dog: {prompts: [a dog], threshold: 0.125}   # flow, no threshold
                  "猫咪":
                    prompts: ["a kitten 🐱"]
                    threshold: 0.75
                  bird: {
                    prompts: [a bird],
                    boxPrompt: bird, threshold: 0.375
                  }
                  fish:
                    prompts: [a fish]
                    threshold: 0.0001
                """);
    }

    @Test
    void aLastLabelWithoutLineEndAndCrLfLineEnds() {
        assertThat(yaml("labels:\r\n  - id: cat\r\n    prompts: a cat", Map.of("cat", 0.5f)))
                .isEqualTo("labels:\r\n  - id: cat\r\n    prompts: a cat\r\n    threshold: 0.5\r\n");
        assertThat(yaml("labels:\r\n  - id: cat\r\n    prompts: a cat\r\n", Map.of("cat", 0.5f)))
                .isEqualTo("labels:\r\n  - id: cat\r\n    prompts: a cat\r\n    threshold: 0.5\r\n");
    }

    @Test
    void csvWithAThresholdColumnSetsItsCells() {
        String text = "id,prompts,threshold,long\r\n"
                + "cat,\"a photo of a cat, sitting|一只猫的照片\",0.25,false\r\n"
                + "\r\n"
                + "dog,a dog,,\r\n"
                + "bird,a bird\r\n"
                + "fish,a fish,0.3,true\r\n";

        String out = ThresholdRewriter.rewrite(text, false, Map.of("cat", 0.5f, "dog", 0.25f, "bird", 0.75f));

        assertThat(out).isEqualTo("id,prompts,threshold,long\r\n"
                + "cat,\"a photo of a cat, sitting|一只猫的照片\",0.5,false\r\n"
                + "\r\n"
                + "dog,a dog,0.25,\r\n"
                + "bird,a bird,0.75\r\n"
                + "fish,a fish,0.3,true\r\n");
    }

    @Test
    void csvWithoutAThresholdColumnGetsOne() {
        String text = "prompts,id\n\"say \"\"hi\"\"\",\"cat\"\na dog,dog\n";

        String out = ThresholdRewriter.rewrite(text, false, Map.of("cat", 0.5f));

        assertThat(out).isEqualTo("prompts,id,threshold\n\"say \"\"hi\"\"\",\"cat\",0.5\na dog,dog\n");
    }

    @Test
    void keysAndColumnsItDoesNotKnowStayAsTheyAre() {
        assertThat(yaml("labels:\n  - id: cat\n    prompts: a cat\n    action: block\n    reviewMargin: 0.05\n",
                Map.of("cat", 0.5f)))
                .isEqualTo("labels:\n  - id: cat\n    prompts: a cat\n    action: block\n    reviewMargin: 0.05\n"
                        + "    threshold: 0.5\n");
        assertThat(ThresholdRewriter.rewrite("id,action,prompts,reviewMargin\ncat,block,a cat,0.05\n", false,
                Map.of("cat", 0.5f))).isEqualTo("id,action,prompts,reviewMargin,threshold\ncat,block,a cat,0.05,0.5\n");
    }

    @Test
    void writeChecksTheFileReadsBackWithTheNewThresholdsOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.yaml"), """
                labelSet: pets
                defaultThreshold: 0.2
                labels:
                  - id: cat
                    prompts: [a cat]
                    boxPrompt: cat face
                  - id: dog
                    prompts: [a dog]
                    threshold: 0.3
                """);
        LabelFile before = LabelFile.read(file, null);
        Path out = dir.resolve("sub/calibrated.yml");

        ThresholdRewriter.write(before, Map.of("cat", 0.61f), out);

        LabelFile after = LabelFile.read(out, null);
        assertThat(after.labelSet()).isEqualTo("pets");
        assertThat(after.labels()).extracting(LabelDefinition::getThreshold).containsExactly(0.61f, 0.3f);
        assertThat(after.labels().get(0).getBoxPrompt()).isEqualTo("cat face");
        assertThat(dir.resolve("sub").toFile().list()).as("no temporary file left").containsExactly("calibrated.yml");

        ThresholdRewriter.write(before, Map.of("dog", 0.7f), file);
        assertThat(LabelFile.read(file, null).labels()).extracting(LabelDefinition::getThreshold)
                .containsExactly(0.2f, 0.7f);
    }

    @Test
    void everyFloatThresholdReadsBackExactly() {
        for (float f : new float[] {0.1f, 1f / 3, 0.99999994f, 1.4e-45f, 3.0517578e-5f, 0.5f, 1f, 0f}) {
            String text = ThresholdRewriter.rewrite("id,prompts\ncat,a cat\n", false, Map.of("cat", f));
            assertThat(CsvLabels.parse(text).rows().get(0).threshold()).as(text).isEqualTo(f);
            String yamlText = yaml("labels: {cat: {prompts: a cat}}\n", Map.of("cat", f));
            assertThat(YamlLabels.parse(yamlText).rows().get(0).threshold()).as(yamlText).isEqualTo(f);
        }
    }

    @Test
    void anOutputOfAnotherFormatIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.csv"), "id,prompts\ncat,a cat\n");

        assertThatThrownBy(() -> ThresholdRewriter.write(LabelFile.read(file, null), Map.of(), dir.resolve("x.yaml")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--out " + dir.resolve("x.yaml") + " must have the format of the label file: name it .csv");
        assertThat(List.of(dir.toFile().list())).containsExactly("labels.csv");
    }
}
