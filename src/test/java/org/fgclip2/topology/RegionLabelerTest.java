package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.RegionBox;
import org.fgclip2.avro.RegionLabels;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.Vectors;
import org.fgclip2.preprocess.PatchGrid;
import org.junit.jupiter.api.Test;

class RegionLabelerTest {

    private static final RegionSettings DEFAULTS = new AppConfig(Map.of()).labeling().regions();

    /** A 2×2 map of 3-dimensional features over a 32×32 image: each cell points mostly along one axis. */
    private static DenseMap map() {
        float[] features = {
                1, 0, 0, /**/ 0, 1, 0,
                0, 0, 1, /**/ 1, 1, 0};
        float[] normalized = new float[features.length];
        for (int r = 0; r < 4; r++) {
            float[] row = Vectors.l2Normalize(new float[] {features[3 * r], features[3 * r + 1], features[3 * r + 2]});
            System.arraycopy(row, 0, normalized, 3 * r, 3);
        }
        return new DenseMap(new PatchGrid(2, 2), 3, features, normalized, 32, 32);
    }

    private static LabelEntry label(String id, float[]... regionEmbeddings) {
        float[][] unit = new float[regionEmbeddings.length][];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = Vectors.l2Normalize(regionEmbeddings[i]);
        }
        return new LabelEntry(id, List.of(id), new float[][] {{1, 0, 0}}, id, unit[0], unit, 0.3f, "h-" + id, null,
                0f);
    }

    /** A label's cosine is that of its best region embedding; the scores are a softmax of 100 · cos. */
    @Test
    void aBoxScoresEachLabelByItsBestPromptThroughASoftmax() {
        LabelMatrix matrix = LabelMatrix.of("set", List.of(
                label("x", new float[] {1, 0, 0}),
                label("yz", new float[] {0, 1, 0}, new float[] {0, 0, 1}),
                label("diagonal", new float[] {1, 1, 1})), new AppConfig(Map.of()).labeling().actionOrder());
        ImageEvent event = ImageEvent.newBuilder().setId("i").setUri("file:/i.png")
                .setRegions(List.of(new RegionBox("top-left", 0f, 0f, 16f, 16f),
                        new RegionBox("bottom-left", 0f, 16f, 16f, 32f)))
                .build();
        DenseMap dense = map();
        List<RegionLabels> regions = new RegionLabeler(DEFAULTS).label(event, matrix, dense, null);

        assertThat(regions).extracting(RegionLabels::getId).containsExactly("top-left", "bottom-left");
        for (int k = 0; k < 2; k++) {
            RegionBox box = event.getRegions().get(k);
            float[] region = dense.regionEmbedding(new double[] {box.getX1(), box.getY1(), box.getX2(), box.getY2()});
            double[] cos = new double[3];
            for (int l = 0; l < 3; l++) {
                cos[l] = Double.NEGATIVE_INFINITY;
                for (float[] prompt : matrix.labels().get(l).regionEmbeddings()) {
                    cos[l] = Math.max(cos[l], Vectors.dot(region, prompt));
                }
            }
            double sum = 0;
            for (double c : cos) {
                sum += Math.exp(100 * c);
            }
            for (var score : regions.get(k).getLabels()) {
                int l = matrix.labels().stream().map(LabelEntry::labelId).toList().indexOf(score.getLabelId());
                assertThat((double) score.getScore()).as("%s / %s", box.getId(), score.getLabelId())
                        .isCloseTo(Math.exp(100 * cos[l]) / sum, within(1e-6));
            }
        }
        assertThat(regions.get(0).getLabels().get(0).getLabelId()).as("the top-left cell points along x")
                .isEqualTo("x");
        assertThat(regions.get(1).getLabels().get(0).getLabelId()).as("bottom-left along z: yz's second prompt")
                .isEqualTo("yz");
    }
}
