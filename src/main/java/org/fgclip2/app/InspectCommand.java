package org.fgclip2.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.image.RgbImage;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.ImageBatchEncoding;
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
final class InspectCommand implements Callable<Integer> {

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

    @Option(names = "--heatmap-dir", paramLabel = "DIR",
            description = "Also write each heatmap as PNG: the map alone and overlaid on the image.")
    Path heatmapDir;

    @Override
    public Integer call() throws IOException {
        if (maxPatches != null && maxPatches < 1) {
            throw new UserInputException("--max-patches must be at least 1, got " + maxPatches);
        }
        List<RgbImage> decoded = decodeAll();
        try (FgClip2Inference model = modelOptions.load()) {
            List<PatchedImage> patched = new ArrayList<>();
            for (RgbImage image : decoded) {
                patched.add(maxPatches == null ? model.imageProcessor().preprocess(image)
                        : model.imageProcessor().preprocess(image, maxPatches));
            }
            List<TextEncoding> texts = new ArrayList<>();
            addWalk(model, texts, captions, TextWalk.SHORT);
            addWalk(model, texts, longCaptions, TextWalk.LONG);
            addWalk(model, texts, boxCaptions, TextWalk.BOX);
            try (ImageBatchEncoding encoding = model.encodeImages(patched)) {
                List<DenseMap> maps = boxCaptions.isEmpty() ? List.of() : encoding.denseMaps(range(patched.size()));
                write(System.out, model, patched, texts, encoding, maps, decoded);
            }
        }
        return 0;
    }

    private List<RgbImage> decodeAll() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
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

    private static void addWalk(FgClip2Inference model, List<TextEncoding> out, List<String> texts, TextWalk walk) {
        if (!texts.isEmpty()) {
            out.add(model.embedTexts(texts, walk));
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private void write(PrintStream stdout, FgClip2Inference model, List<PatchedImage> patched,
                       List<TextEncoding> texts, ImageBatchEncoding encoding, List<DenseMap> maps,
                       List<RgbImage> decoded) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (JsonGenerator g = json.getFactory().createGenerator(stdout)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("model");
            g.writeStringField("id", model.info().id());
            g.writeStringField("device", model.info().device().toString());
            g.writeStringField("dtype", model.info().precision().name().toLowerCase(java.util.Locale.ROOT));
            g.writeEndObject();

            g.writeArrayFieldStart("images");
            for (int i = 0; i < patched.size(); i++) {
                g.writeStartObject();
                g.writeStringField("file", images.get(i).toString());
                g.writeArrayFieldStart("spatialShape");
                g.writeNumber(patched.get(i).grid().height());
                g.writeNumber(patched.get(i).grid().width());
                g.writeEndArray();
                writeFloats(g, "embedding", encoding.embeddings()[i]);
                g.writeEndObject();
            }
            g.writeEndArray();

            List<float[]> allTexts = new ArrayList<>();
            List<Integer> boxTextIndex = new ArrayList<>();
            g.writeArrayFieldStart("texts");
            for (TextEncoding walk : texts) {
                for (int t = 0; t < walk.size(); t++) {
                    if (walk.walk() == TextWalk.BOX) {
                        boxTextIndex.add(allTexts.size());
                    }
                    allTexts.add(walk.normalized()[t]);
                    g.writeStartObject();
                    g.writeStringField("text", walk.texts().get(t));
                    g.writeStringField("walk", walk.walk().id());
                    g.writeArrayFieldStart("inputIds");
                    for (long id : walk.tokens().ids(t)) {
                        g.writeNumber(id);
                    }
                    g.writeEndArray();
                    writeFloats(g, "embedding", walk.normalized()[t]);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();

            g.writeArrayFieldStart("probabilities");
            for (float[] image : encoding.embeddings()) {
                g.writeStartArray();
                for (float[] text : allTexts) {
                    g.writeNumber((float) model.scoring().probability(Vectors.dot(image, text)));
                }
                g.writeEndArray();
            }
            g.writeEndArray();

            g.writeArrayFieldStart("heatmaps");
            HeatmapFiles files = heatmapDir == null ? null : new HeatmapFiles(heatmapDir);
            for (int i = 0; i < maps.size(); i++) {
                DenseMap map = maps.get(i);
                for (int textIndex : boxTextIndex) {
                    float[] similarity = map.similarity(allTexts.get(textIndex));
                    g.writeStartObject();
                    g.writeNumberField("image", i);
                    g.writeNumberField("text", textIndex);
                    g.writeArrayFieldStart("shape");
                    g.writeNumber(map.grid().height());
                    g.writeNumber(map.grid().width());
                    g.writeEndArray();
                    writeFloats(g, "similarity", similarity);
                    if (files != null) {
                        List<Path> written = files.write(i, textIndex, decoded.get(i), similarity, map.grid());
                        g.writeArrayFieldStart("files");
                        for (Path p : written) {
                            g.writeString(p.toString());
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        stdout.println();
        stdout.flush();
    }

    private static void writeFloats(JsonGenerator g, String name, float[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (float v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }
}
