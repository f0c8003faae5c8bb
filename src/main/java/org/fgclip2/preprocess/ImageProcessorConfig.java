package org.fgclip2.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The settings of the FG-CLIP 2 image processor, as stored in a checkpoint's {@code preprocessor_config.json}.
 *
 * <p>Missing or {@code null} keys take the defaults of the official {@code Fgclip2ImageProcessor}: patch 16,
 * {@code max_num_patches} 256, {@code dynamic_max_patches} true, rescale by 1/255, normalise with mean = std =
 * 0.5. A SigLIP 2 processor type ({@code Siglip2ImageProcessor[Fast]}) has no dynamic bucket, so there
 * {@code dynamic_max_patches} defaults to false. {@code do_resize} and {@code resample} are checked when parsing
 * (only resizing with BILINEAR, {@code resample} 2, is implemented) and not kept; {@code do_convert_rgb} is
 * irrelevant because decoded images are always RGB.
 *
 * @param patchSize         side of a square patch in pixels
 * @param maxNumPatches     patch budget when {@code dynamicMaxPatches} is false
 * @param dynamicMaxPatches choose the budget per image from its size (128/256/576/784/1024 buckets)
 * @param doRescale         multiply the 0..255 values by {@code rescaleFactor}
 * @param rescaleFactor     usually 1/255
 * @param doNormalize       apply {@code (x − mean) / std} per channel
 * @param imageMean         per-channel mean (R, G, B)
 * @param imageStd          per-channel standard deviation (R, G, B)
 */
public record ImageProcessorConfig(int patchSize, int maxNumPatches, boolean dynamicMaxPatches,
                                   boolean doRescale, double rescaleFactor,
                                   boolean doNormalize, List<Double> imageMean, List<Double> imageStd) {

    private static final int BILINEAR = 2;
    private static final Set<String> FGCLIP2_TYPES = Set.of("Fgclip2ImageProcessor", "Fgclip2ImageProcessorFast");
    private static final Set<String> SIGLIP2_TYPES = Set.of("Siglip2ImageProcessor", "Siglip2ImageProcessorFast");
    private static final List<Double> HALF = List.of(0.5, 0.5, 0.5);

    public ImageProcessorConfig {
        if (patchSize <= 0) {
            throw new IllegalArgumentException("patch_size must be positive, got " + patchSize);
        }
        if (maxNumPatches <= 0) {
            throw new IllegalArgumentException("max_num_patches must be positive, got " + maxNumPatches);
        }
        if (!(rescaleFactor > 0 && Double.isFinite(rescaleFactor))) {
            throw new IllegalArgumentException("rescale_factor must be a positive number, got " + rescaleFactor);
        }
        imageMean = List.copyOf(imageMean);
        imageStd = List.copyOf(imageStd);
        if (imageMean.size() != 3 || imageStd.size() != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values (R, G, B), got "
                    + imageMean + " and " + imageStd);
        }
        for (double std : imageStd) {
            if (!(std != 0 && Double.isFinite(std))) {
                throw new IllegalArgumentException("image_std values must be finite and non-zero, got " + imageStd);
            }
        }
    }

    /** The official {@code Fgclip2ImageProcessor} defaults. */
    public static ImageProcessorConfig defaults() {
        return new ImageProcessorConfig(16, 256, true, true, 1 / 255.0, true, HALF, HALF);
    }

    /** Reads a {@code preprocessor_config.json}. */
    public static ImageProcessorConfig load(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the content of a {@code preprocessor_config.json}.
     *
     * @throws IllegalArgumentException if it is not a JSON object, names a processor that is not a NaFlex one,
     *                                  or asks for something not implemented (no resize, a filter other than
     *                                  BILINEAR)
     */
    public static ImageProcessorConfig fromJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("image processor config is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("image processor config must be a JSON object");
        }
        String type = text(root, "image_processor_type");
        if (type != null && !FGCLIP2_TYPES.contains(type) && !SIGLIP2_TYPES.contains(type)) {
            throw new IllegalArgumentException("image_processor_type " + type + " is not supported; expected one of "
                    + FGCLIP2_TYPES + " or " + SIGLIP2_TYPES + " (NaFlex patching)");
        }
        if (!bool(root, "do_resize", true)) {
            throw new IllegalArgumentException("do_resize=false is not implemented: NaFlex patching needs images "
                    + "resized to a multiple of the patch size");
        }
        int resample = integer(root, "resample", BILINEAR);
        if (resample != BILINEAR) {
            throw new IllegalArgumentException("resample=" + resample + " is not implemented; only 2 (BILINEAR), "
                    + "the FG-CLIP 2 default, is");
        }
        ImageProcessorConfig d = defaults();
        boolean dynamicDefault = type == null || FGCLIP2_TYPES.contains(type);
        return new ImageProcessorConfig(
                integer(root, "patch_size", d.patchSize()),
                integer(root, "max_num_patches", d.maxNumPatches()),
                bool(root, "dynamic_max_patches", dynamicDefault),
                bool(root, "do_rescale", d.doRescale()),
                number(root, "rescale_factor", d.rescaleFactor()),
                bool(root, "do_normalize", d.doNormalize()),
                perChannel(root, "image_mean", d.imageMean()),
                perChannel(root, "image_std", d.imageStd()));
    }

    private static JsonNode value(JsonNode root, String key) {
        JsonNode node = root.get(key);
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode root, String key) {
        JsonNode node = value(root, key);
        if (node != null && !node.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, got " + node);
        }
        return node == null ? null : node.asText();
    }

    private static boolean bool(JsonNode root, String key, boolean fallback) {
        JsonNode node = value(root, key);
        if (node != null && !node.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + node);
        }
        return node == null ? fallback : node.asBoolean();
    }

    private static int integer(JsonNode root, String key, int fallback) {
        JsonNode node = value(root, key);
        if (node != null && !(node.canConvertToExactIntegral() && node.canConvertToInt())) {
            throw new IllegalArgumentException(key + " must be an integer, got " + node);
        }
        return node == null ? fallback : node.asInt();
    }

    private static double number(JsonNode root, String key, double fallback) {
        JsonNode node = value(root, key);
        if (node != null && !node.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + node);
        }
        return node == null ? fallback : node.asDouble();
    }

    /** A number applies to every channel, as in transformers. */
    private static List<Double> perChannel(JsonNode root, String key, List<Double> fallback) {
        JsonNode node = value(root, key);
        if (node == null) {
            return fallback;
        }
        if (node.isNumber()) {
            return List.of(node.asDouble(), node.asDouble(), node.asDouble());
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(key + " must be a number or a list of numbers, got " + node);
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isNumber()) {
                throw new IllegalArgumentException(key + " must hold numbers, got " + node);
            }
            values.add(v.asDouble());
        }
        return values;
    }
}
