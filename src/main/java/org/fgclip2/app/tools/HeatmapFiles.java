package org.fgclip2.app.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fgclip2.heatmap.HeatmapRenderer;
import org.fgclip2.heatmap.HeatmapStyle;
import org.fgclip2.heatmap.SimilarityMap;
import org.fgclip2.image.RgbImage;
import org.fgclip2.preprocess.PatchGrid;

/** {@code inspect --heatmap-dir}: each (image, box caption) map as two PNGs, the map alone and over the image. */
final class HeatmapFiles {
    private static final int CELL_PIXELS = 16;

    private final Path dir;
    private final HeatmapRenderer renderer;

    HeatmapFiles(Path dir, HeatmapStyle style) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.renderer = new HeatmapRenderer(style);
    }

    /** The map alone, then the map over the picture. */
    List<Path> paths(int image, int text) {
        String base = "image" + image + "-text" + text;
        return List.of(dir.resolve(base + ".png"), dir.resolve(base + "-overlay.png"));
    }

    void write(int image, int text, RgbImage picture, float[] similarity, PatchGrid grid) throws IOException {
        List<Path> files = paths(image, text);
        SimilarityMap values = new SimilarityMap(grid, similarity);
        Files.write(files.get(0), renderer.mapPng(values, CELL_PIXELS));
        Files.write(files.get(1), renderer.overlayPng(picture, values));
    }
}
