package org.fgclip2.app.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.heatmap.HeatmapStyle;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.RgbImage;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.ImageBatchEncoding;
import org.fgclip2.inference.RegionScoring;
import org.fgclip2.inference.TextEncoding;
import org.fgclip2.inference.Vectors;
import org.fgclip2.model.TextWalk;
import org.fgclip2.preprocess.PatchedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Offline scoring of images against captions, as the official quick start does, printed as one JSON document:
 * image embeddings, text embeddings per walk, sigmoid probabilities, and dense heatmaps for the box captions.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Score images against captions with FG-CLIP 2 and print the result as JSON on stdout.")
public final class InspectCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image", paramLabel = "FILE", required = true, arity = "1..*",
            description = "Image files (JPEG, PNG, GIF, BMP, WebP).")
    List<Path> images;

    @Option(names = "--caption", paramLabel = "TEXT", arity = "1..*", description = "Captions, short walk (64 tokens).")
    List<String> captions = new ArrayList<>();

    @Option(names = "--long-caption", paramLabel = "TEXT", arity = "1..*",
            description = "Long descriptions, long walk (196 tokens).")
    List<String> longCaptions = new ArrayList<>();

    @Option(names = "--box-caption", paramLabel = "TEXT", arity = "1..*",
            description = "Region phrases, box walk; each also gets a dense heatmap per image.")
    List<String> boxCaptions = new ArrayList<>();

    @Option(names = "--max-patches", paramLabel = "N",
            description = "Patch budget per image (default: the dynamic budget, 128/256/576/784/1024 by image size).")
    Integer maxPatches;

    @Option(names = "--region", paramLabel = "I:X1,Y1,X2,Y2",
            description = {"A box to pool a region feature from (repeatable): I is the image's 0-based position in"
                    + " --image order, the corners are that image's pixels. Its probabilities are softmax(100 * cos)"
                    + " over all the texts, the official box evaluations' formula: give the candidates as"
                    + " --box-caption, the walk region features pair with."})
    List<String> regions = new ArrayList<>();

    @Option(names = "--heatmap-dir", paramLabel = "DIR",
            description = "Also write each heatmap as PNG: the map alone and overlaid on the image.")
    Path heatmapDir;

    @Override
    public Integer call() throws IOException {
        if (maxPatches != null && maxPatches < 1) {
            throw new UserInputException("--max-patches must be at least 1, got " + maxPatches);
        }
        // decodes and draws as the labeller would, with the same FGCLIP2_* settings
        AppConfig settings = AppConfig.load(null, System.getenv());
        List<RgbImage> decoded = decodeAll(settings);
        List<RegionArgument> boxes = new ArrayList<>();
        for (String region : regions) {
            boxes.add(RegionArgument.parse(region, decoded));
        }
        try (FgClip2Inference inference = modelOptions.load()) {
            List<PatchedImage> patched = new ArrayList<>();
            for (RgbImage image : decoded) {
                patched.add(maxPatches == null ? inference.imageProcessor().preprocess(image)
                        : inference.imageProcessor().preprocess(image, maxPatches));
            }
            List<TextEncoding> texts = new ArrayList<>();
            addWalk(inference, texts, captions, TextWalk.SHORT);
            addWalk(inference, texts, longCaptions, TextWalk.LONG);
            addWalk(inference, texts, boxCaptions, TextWalk.BOX);
            try (ImageBatchEncoding encoding = inference.encodeImages(patched)) {
                List<DenseMap> maps = boxCaptions.isEmpty() && boxes.isEmpty() ? List.of()
                        : encoding.denseMaps(range(patched.size()));
                HeatmapFiles files = heatmapDir == null ? null
                        : new HeatmapFiles(heatmapDir, HeatmapStyle.of(settings.integer("heatmaps.preview-max-side"),
                                settings.heatmapScale()));
                InspectReport report = report(inference, patched, texts, encoding, maps, files, boxes);
                if (files != null) {
                    for (InspectReport.Heatmap h : report.heatmaps()) {
                        files.write(h.image(), h.text(), decoded.get(h.image()), h.similarity(),
                                maps.get(h.image()).grid());
                    }
                }
                print(System.out, report);
            }
        }
        return 0;
    }

    private List<RgbImage> decodeAll(AppConfig settings) throws IOException {
        ImageDecoder decoder = new ImageDecoder(settings.imageLimits(), true);
        List<RgbImage> out = new ArrayList<>();
        for (Path file : images) {
            if (!Files.isRegularFile(file)) {
                throw new UserInputException("no such image file: " + file);
            }
            try {
                out.add(decoder.decode(Files.readAllBytes(file)));
            } catch (RuntimeException e) {
                throw new UserInputException("cannot read image " + file + ": " + Reasons.of(e), e);
            }
        }
        return out;
    }

    private static void addWalk(FgClip2Inference inference, List<TextEncoding> out, List<String> texts,
                                TextWalk walk) {
        if (!texts.isEmpty()) {
            out.add(inference.embedTexts(texts, walk));
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** @param files where heatmap PNGs go, null for none */
    private InspectReport report(FgClip2Inference inference, List<PatchedImage> patched, List<TextEncoding> texts,
                                 ImageBatchEncoding encoding, List<DenseMap> maps, HeatmapFiles files,
                                 List<RegionArgument> boxes) {
        InspectReport.Model model = new InspectReport.Model(inference.info().id(),
                inference.info().device().toString(), inference.info().precision().name().toLowerCase(Locale.ROOT));

        List<InspectReport.Image> imageReports = new ArrayList<>();
        for (int i = 0; i < patched.size(); i++) {
            imageReports.add(new InspectReport.Image(images.get(i).toString(),
                    new int[] {patched.get(i).grid().height(), patched.get(i).grid().width()},
                    encoding.embeddings()[i]));
        }

        List<InspectReport.Text> textReports = new ArrayList<>();
        List<Integer> boxTextIndex = new ArrayList<>();
        for (TextEncoding walk : texts) {
            for (int t = 0; t < walk.size(); t++) {
                if (walk.walk() == TextWalk.BOX) {
                    boxTextIndex.add(textReports.size());
                }
                textReports.add(new InspectReport.Text(walk.texts().get(t), walk.walk().id(), walk.tokens().ids(t),
                        walk.normalized()[t]));
            }
        }

        float[][] probabilities = new float[imageReports.size()][textReports.size()];
        for (int i = 0; i < probabilities.length; i++) {
            for (int t = 0; t < textReports.size(); t++) {
                probabilities[i][t] = (float) inference.scoring().probability(
                        Vectors.dot(encoding.embeddings()[i], textReports.get(t).embedding()));
            }
        }

        List<InspectReport.Heatmap> heatmaps = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            DenseMap map = maps.get(i);
            for (int textIndex : boxTextIndex) {
                heatmaps.add(new InspectReport.Heatmap(i, textIndex,
                        new int[] {map.grid().height(), map.grid().width()},
                        map.similarity(textReports.get(textIndex).embedding()),
                        files == null ? null : files.paths(i, textIndex).stream().map(Path::toString).toList()));
            }
        }
        List<float[]> textEmbeddings = textReports.stream().map(InspectReport.Text::embedding).toList();
        List<InspectReport.Region> regionReports = new ArrayList<>();
        for (RegionArgument box : boxes) {
            float[] embedding = maps.get(box.image()).regionEmbedding(box.corners());
            double[] p = RegionScoring.probabilities(embedding, textEmbeddings);
            float[] regionProbabilities = new float[p.length];
            for (int t = 0; t < p.length; t++) {
                regionProbabilities[t] = (float) p[t];
            }
            regionReports.add(new InspectReport.Region(box.image(), box.corners(), embedding, regionProbabilities));
        }
        return new InspectReport(model, imageReports, textReports, probabilities, heatmaps, regionReports);
    }

    private static void print(PrintStream stdout, InspectReport report) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (JsonGenerator g = json.getFactory().createGenerator(stdout)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            json.writeValue(g, report);
        }
        stdout.println();
        stdout.flush();
    }
}
