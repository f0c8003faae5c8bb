package org.fgclip2.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a configuration as the {@code config.json} of a Hugging Face checkpoint folder. */
public final class ConfigJson {
    private ConfigJson() {
    }

    /**
     * @param diffStyle leave out every key equal to the official class default, as {@code save_pretrained} does by
     *     default (a loader must fill them back in)
     */
    public static String write(FgClip2Config c, boolean diffStyle) {
        ObjectMapper json = new ObjectMapper();
        FgClip2Config defaults = FgClip2Config.parse(json.createObjectNode().put("model_type", "fgclip2"), "defaults");
        ObjectNode root = json.createObjectNode();
        root.putArray("architectures").add("FG_CLIP2_Model");
        root.put("model_type", "fgclip2");
        root.put("torch_dtype", "float32");
        TextConfig t = c.text();
        TextConfig dt = defaults.text();
        ObjectNode text = root.putObject("text_config");
        text.put("model_type", "fgclip2_text_model");
        put(text, diffStyle, "vocab_size", t.vocabSize(), dt.vocabSize());
        put(text, diffStyle, "hidden_size", t.hiddenSize(), dt.hiddenSize());
        put(text, diffStyle, "intermediate_size", t.intermediateSize(), dt.intermediateSize());
        put(text, diffStyle, "num_hidden_layers", t.numHiddenLayers(), dt.numHiddenLayers());
        put(text, diffStyle, "num_attention_heads", t.numAttentionHeads(), dt.numAttentionHeads());
        put(text, diffStyle, "max_position_embeddings", t.maxPositionEmbeddings(), dt.maxPositionEmbeddings());
        put(text, diffStyle, "keep_len", t.keepLen(), dt.keepLen());
        put(text, diffStyle, "longtext_len", t.longtextLen(), dt.longtextLen());
        if (!diffStyle || t.projectionSize() != t.hiddenSize()) {
            text.put("projection_size", t.projectionSize());
        }
        if (!diffStyle) {
            text.put("hidden_act", t.hiddenAct());
            text.put("layer_norm_eps", t.layerNormEps());
            text.put("pad_token_id", 0).put("eos_token_id", 1).put("bos_token_id", 2);
        }
        VisionConfig v = c.vision();
        VisionConfig dv = defaults.vision();
        ObjectNode vision = root.putObject("vision_config");
        vision.put("model_type", "fgclip2_vision_model");
        put(vision, diffStyle, "hidden_size", v.hiddenSize(), dv.hiddenSize());
        put(vision, diffStyle, "intermediate_size", v.intermediateSize(), dv.intermediateSize());
        put(vision, diffStyle, "num_hidden_layers", v.numHiddenLayers(), dv.numHiddenLayers());
        put(vision, diffStyle, "num_attention_heads", v.numAttentionHeads(), dv.numAttentionHeads());
        put(vision, diffStyle, "num_channels", v.numChannels(), dv.numChannels());
        put(vision, diffStyle, "num_patches", v.numPatches(), dv.numPatches());
        put(vision, diffStyle, "patch_size", v.patchSize(), dv.patchSize());
        if (!diffStyle) {
            vision.put("hidden_act", v.hiddenAct());
            vision.put("layer_norm_eps", v.layerNormEps());
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ObjectNode node, boolean diffStyle, String key, int value, int defaultValue) {
        if (!diffStyle || value != defaultValue) {
            node.put(key, value);
        }
    }
}
