package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.RegionBox;
import org.fgclip2.avro.RegionLabels;
import org.fgclip2.avro.RegionScore;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.RegionAlign;
import org.fgclip2.inference.RegionScoring;
import org.fgclip2.inference.Vectors;

/**
 * Labels the boxes an image event names: each box's region feature (RoIAlign over the dense features, as the
 * official {@code get_image_region_features}) scored against every label of the set with {@link RegionScoring}, a
 * label's cosine being the best of its region embeddings (its box prompt, or every prompt in the box walk when it has
 * no box prompt of its own): a box's scores say which label of the set it is most like, so a set for regions wants a
 * catch-all label ("background") for boxes of nothing in particular.
 *
 * <p>Every box gets an entry: a box that cannot be labelled (no area, outside the image, a repeated id, beyond the
 * limit) gets its reason instead of scores, and never costs the image its labels.
 */
final class RegionLabeler {

    /** Longest box id echoed back: ids are names, and a crafted one must not make the labels record too large. */
    static final int MAX_BOX_ID_CHARS = 256;

    private final RegionSettings settings;

    RegionLabeler(RegionSettings settings) {
        this.settings = settings;
    }

    /** Whether the event's boxes need the image's dense features, which only a forward computes. */
    boolean wantsDenseFeatures(ImageEvent event) {
        return settings.maxPerImage() > 0 && !event.getRegions().isEmpty();
    }

    /**
     * @param dense the image's dense features; null when they could not be computed
     * @param denseFailure why not, when {@code dense} is null
     */
    List<RegionLabels> label(ImageEvent event, LabelMatrix matrix, DenseMap dense, String denseFailure) {
        List<RegionBox> boxes = event.getRegions();
        List<RegionLabels> out = new ArrayList<>(Math.min(boxes.size(), settings.maxPerImage() + 1));
        Set<String> ids = new HashSet<>();
        int labelled = Math.min(boxes.size(), settings.maxPerImage());
        for (RegionBox box : boxes.subList(0, labelled)) {
            double[] corners = {box.getX1(), box.getY1(), box.getX2(), box.getY2()};
            String problem = box.getId().length() > MAX_BOX_ID_CHARS ? "the box id has " + box.getId().length()
                    + " characters, above the limit of " + MAX_BOX_ID_CHARS
                    : !ids.add(box.getId()) ? "the id '" + box.getId() + "' names an earlier box too"
                    : box.getId().isEmpty() ? "the box has an empty id"
                    : dense == null ? "not labelled: the dense head failed: " + denseFailure
                    : RegionAlign.problem(corners, dense.originalWidth(), dense.originalHeight());
            out.add(problem != null ? failed(box, problem) : scored(box, corners, matrix, dense));
        }
        if (boxes.size() > labelled) {
            // one entry for the rest: a crafted event with a million boxes must not make the record too large
            out.add(failed(boxes.get(labelled), (boxes.size() - labelled) + " boxes from this one on are beyond"
                    + " regions.max-per-image (" + settings.maxPerImage() + ") and were not labelled"));
        }
        return out;
    }

    /** @param corners the box's {x1, y1, x2, y2}, checked */
    private RegionLabels scored(RegionBox box, double[] corners, LabelMatrix matrix, DenseMap dense) {
        float[] region = dense.regionEmbedding(corners);
        List<LabelEntry> labels = matrix.labels();
        double[] cosines = new double[labels.size()];
        for (int l = 0; l < cosines.length; l++) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] prompt : labels.get(l).regionEmbeddings()) {
                best = Math.max(best, Vectors.dot(region, prompt));
            }
            cosines[l] = best;
        }
        double[] probabilities = RegionScoring.probabilities(cosines);
        List<RegionScore> scores = new ArrayList<>(labels.size());
        for (int l = 0; l < labels.size(); l++) {
            scores.add(new RegionScore(labels.get(l).labelId(), (float) probabilities[l]));
        }
        scores.sort(Comparator.comparingDouble(RegionScore::getScore).reversed()
                .thenComparing(RegionScore::getLabelId));
        return new RegionLabels(box.getId(), corners(box), List.copyOf(scores.subList(0,
                Math.min(settings.topLabels(), scores.size()))), null);
    }

    private static RegionLabels failed(RegionBox box, String problem) {
        return new RegionLabels(DeadLetters.cut(box.getId(), MAX_BOX_ID_CHARS), corners(box), List.of(), problem);
    }

    private static List<Float> corners(RegionBox box) {
        return List.of(box.getX1(), box.getY1(), box.getX2(), box.getY2());
    }
}
