package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fgclip2.avro.LabelDefinition;
import org.junit.jupiter.api.Test;

/** The topology dead-letters a definition with the first problem of the rules the labels command lists in full. */
class LabelDefinitionsTest {

    private static final LabelLimits LIMITS = new LabelLimits(10, 2, 20);

    private static LabelDefinition label(String id, List<String> prompts, Float threshold) {
        return LabelDefinition.newBuilder().setLabelId(id).setLabelSet("default").setPrompts(prompts)
                .setThreshold(threshold).build();
    }

    @Test
    void aValidDefinitionHasNoProblem() {
        assertThat(LabelDefinitions.problem("cat", label("cat", List.of("a cat"), 0.5f), LIMITS)).isNull();
    }

    @Test
    void theFirstOfSeveralProblemsIsTheReason() {
        LabelDefinition d = label("cat", List.of("a", " ", "c"), 1.5f);

        assertThat(LabelRules.problems("cat", d.getPrompts(), null, 1.5f, LIMITS)).containsExactly(
                "has 3 prompts, above the limit of 2 (labels.max-prompts)", "prompt 2 is empty",
                "threshold 1.5 is outside [0, 1]");
        assertThat(LabelDefinitions.problem("cat", d, LIMITS))
                .isEqualTo("label 'cat': has 3 prompts, above the limit of 2 (labels.max-prompts)");
    }

    @Test
    void anEmptyIdIsRefusedBeforeTheKeyIsCompared() {
        assertThat(LabelDefinitions.problem("x", label(" ", List.of("a"), null), LIMITS))
                .isEqualTo("a label: the id is empty");
    }

    @Test
    void aKeyOtherThanTheIdIsRefused() {
        assertThat(LabelDefinitions.problem("dog", label("cat", List.of("a"), null), LIMITS))
                .startsWith("record key 'dog' differs from labelId 'cat'");
    }

    @Test
    void whitespaceInIdsIsLeftToTheLabelsCommand() {
        assertThat(LabelDefinitions.problem("red car", label("red car", List.of("a red car"), null), LIMITS))
                .as("labels other producers wrote keep working").isNull();
    }
}
