package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.app.labels.YamlLabelFileTest.label;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fgclip2.app.labels.LabelPlan.Change;
import org.fgclip2.app.labels.LabelPlan.ChangeKind;
import org.fgclip2.avro.LabelDefinition;
import org.junit.jupiter.api.Test;

class LabelPlanTest {

    static final LabelDefinition CAT = label("cat", "default", List.of("a cat", "一只猫"), null, 0.3f, false);
    static final LabelDefinition DOG = label("dog", "default", List.of("a dog"), null, null, false);
    static final LabelDefinition CAR = label("car", "default", List.of("a car"), null, null, false);
    static final LabelDefinition BUS = label("bus", "street", List.of("a bus"), null, null, false);

    @Test
    void comparesEachLabelOfTheFileWithTheTopic() {
        LabelDefinition newCat = label("cat", "default", List.of("a cat", "一只小猫"), "cat", 0.4f, true);
        LabelPlan plan = LabelPlan.of(file(newCat, DOG, CAR), current(Map.of("cat", CAT, "dog", DOG)), false);

        assertThat(plan.changes()).containsExactly(
                new Change(ChangeKind.CHANGED, "cat", newCat, "prompts, boxPrompt, threshold, long"),
                new Change(ChangeKind.UNCHANGED, "dog", DOG, ""),
                new Change(ChangeKind.ADDED, "car", CAR, ""));
        assertThat(plan.toSend()).extracting(Change::labelId).containsExactly("cat", "car");
        assertThat(plan.counts()).isEqualTo("added 1, changed 1, unchanged 1, deleted 0");
    }

    @Test
    void pruneDeletesTheLabelsOfTheSameSetThatTheFileDoesNotList() {
        CurrentLabels now = current(Map.of("cat", CAT, "dog", DOG, "car", CAR, "bus", BUS));

        LabelPlan pruned = LabelPlan.of(file(CAT), now, true);
        LabelPlan kept = LabelPlan.of(file(CAT), now, false);

        assertThat(pruned.toSend()).containsExactly(new Change(ChangeKind.DELETED, "car", null, ""),
                new Change(ChangeKind.DELETED, "dog", null, ""));
        assertThat(pruned.kept()).isEmpty();
        assertThat(pruned.counts()).isEqualTo("added 0, changed 0, unchanged 1, deleted 2");
        assertThat(kept.toSend()).isEmpty();
        assertThat(kept.kept()).containsExactly("car", "dog");
    }

    @Test
    void aLabelTakenFromAnotherSetIsAChangeThatSaysSo() {
        LabelDefinition busInDefault = label("bus", "default", List.of("a bus"), null, null, false);

        LabelPlan plan = LabelPlan.of(file(busInDefault), current(Map.of("bus", BUS)), true);

        assertThat(plan.toSend()).containsExactly(
                new Change(ChangeKind.CHANGED, "bus", busInDefault, "moves from label set 'street'"));
    }

    @Test
    void unreadableValuesAreReplacedWhenListedAndLeftAloneOtherwise() {
        CurrentLabels now = new CurrentLabels(Map.of(), Map.of("cat", "unknown magic byte", "old", "truncated"));

        LabelPlan plan = LabelPlan.of(file(CAT), now, true);

        assertThat(plan.toSend())
                .containsExactly(new Change(ChangeKind.CHANGED, "cat", CAT, "replaces an unreadable value"));
        assertThat(plan.unreadable()).containsExactly("old");
    }

    private static LabelFile file(LabelDefinition... labels) {
        return new LabelFile(Path.of("labels.yaml"), "default", List.of(labels));
    }

    private static CurrentLabels current(Map<String, LabelDefinition> byId) {
        return new CurrentLabels(byId, Map.of());
    }
}
