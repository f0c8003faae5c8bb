package org.fgclip2.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The model configuration, read from a Hugging Face {@code config.json} ({@code model_type: fgclip2}, nested
 * {@code text_config} and {@code vision_config}). Published configs may be "diff" serialised (keys equal to the
 * class defaults left out), so each missing key takes the official default; nothing is specific to one size.
 */
public record FgClip2Config(TextConfig text, VisionConfig vision) {

    public FgClip2Config {
        // The long and box heads are Linear(Dt -> Dt) on the un-projected text vector, and image features have Dv
        // entries: image-text scores only make sense when all three sizes agree.
        if (text.projectionSize() != text.hiddenSize() || text.hiddenSize() != vision.hiddenSize()) {
            throw new ConfigException("text projection_size (" + text.projectionSize() + "), text hidden_size ("
                    + text.hiddenSize() + ") and vision hidden_size (" + vision.hiddenSize()
                    + ") must be equal for FG-CLIP 2 image-text scores");
        }
    }

    /** Width of image and text embeddings. */
    public int embeddingSize() {
        return vision.hiddenSize();
    }

    public static FgClip2Config load(Path configJson) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(configJson));
        } catch (NoSuchFileException e) {
            throw new ConfigException("no config.json at " + configJson + ": a checkpoint folder needs config.json,"
                    + " model.safetensors and tokenizer.json");
        } catch (IOException e) {
            throw new ConfigException(configJson + " is not valid JSON: " + e.getMessage(), e);
        }
        return parse(root, configJson.toString());
    }

    static FgClip2Config parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + " is not a JSON object");
        }
        String modelType = root.path("model_type").asText("");
        if (!modelType.equals("fgclip2")) {
            throw new ConfigException(source + " has model_type '" + modelType + "', expected 'fgclip2'"
                    + (modelType.startsWith("siglip") ? " (a plain SigLIP checkpoint lacks the FG-CLIP 2 heads)" : ""));
        }
        JsonNode t = root.path("text_config");
        JsonNode v = root.path("vision_config");
        int textHidden = intOr(t, "hidden_size", 768);
        TextConfig text = new TextConfig(
                intOr(t, "vocab_size", 32000),
                textHidden,
                intOr(t, "intermediate_size", 3072),
                intOr(t, "num_hidden_layers", 12),
                intOr(t, "num_attention_heads", 12),
                intOr(t, "max_position_embeddings", 64),
                t.path("hidden_act").asText(ConfigChecks.GELU_TANH),
                t.path("layer_norm_eps").asDouble(1e-6),
                t.hasNonNull("projection_size") ? t.get("projection_size").asInt() : textHidden,
                intOr(t, "keep_len", 20),
                intOr(t, "longtext_len", 196));
        VisionConfig vision = new VisionConfig(
                intOr(v, "hidden_size", 768),
                intOr(v, "intermediate_size", 3072),
                intOr(v, "num_hidden_layers", 12),
                intOr(v, "num_attention_heads", 12),
                intOr(v, "num_channels", 3),
                intOr(v, "num_patches", 256),
                intOr(v, "patch_size", 16),
                v.path("hidden_act").asText(ConfigChecks.GELU_TANH),
                v.path("layer_norm_eps").asDouble(1e-6));
        return new FgClip2Config(text, vision);
    }

    private static int intOr(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? fallback : value.asInt();
    }
}
