package org.fgclip2.topology;

import java.util.ArrayList;
import java.util.List;
import org.fgclip2.avro.ImageEvent;

/**
 * Which labels of an image get a heatmap: every label when the event asks for heatmaps, else the positive ones
 * when so configured; best scores first, at most {@code maxPerImage}.
 */
record HeatmapSelection(int maxPerImage, boolean forPositive) {

    /** @param scores the image's scores, best first */
    List<LabelMatrix.Score> labels(ImageEvent event, List<LabelMatrix.Score> scores) {
        List<LabelMatrix.Score> chosen = new ArrayList<>();
        for (LabelMatrix.Score s : scores) {
            if (chosen.size() == maxPerImage) {
                break;
            }
            if (event.getHeatmaps() || (forPositive && s.positive())) {
                chosen.add(s);
            }
        }
        return chosen;
    }
}
