package org.fgclip2.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tensor of {@code FG_CLIP2_Model.state_dict()} with its shape for a configuration (41 + 16 per encoder
 * layer). The loaders check shapes on their own; this table is what a writer of checkpoints needs, and tests
 * check that loading uses exactly these keys.
 */
public final class StateDictShapes {
    private StateDictShapes() {
    }

    public static Map<String, long[]> of(FgClip2Config config) {
        TextConfig t = config.text();
        VisionConfig v = config.vision();
        Map<String, long[]> keys = new LinkedHashMap<>();
        keys.put("logit_scale", new long[] {1});
        keys.put("logit_bias", new long[] {1});
        linear(keys, "longtext_head", t.hiddenSize(), t.hiddenSize());
        linear(keys, "boxtext_head", t.hiddenSize(), t.hiddenSize());
        poolingHead(keys, "dense_feature_head", v.hiddenSize(), v.intermediateSize());

        keys.put("text_model.embeddings.token_embedding.weight", new long[] {t.vocabSize(), t.hiddenSize()});
        keys.put("text_model.embeddings.position_embedding.weight", new long[] {t.maxPositionEmbeddings(), t.hiddenSize()});
        keys.put("text_model.embeddings.position_embedding_ori.weight", new long[] {t.longtextLen(), t.hiddenSize()});
        keys.put("text_model.embeddings.position_embedding_res.weight", new long[] {t.longtextLen(), t.hiddenSize()});
        encoder(keys, "text_model.encoder", t.numHiddenLayers(), t.hiddenSize(), t.intermediateSize());
        norm(keys, "text_model.final_layer_norm", t.hiddenSize());
        linear(keys, "text_model.head", t.hiddenSize(), t.projectionSize());

        linear(keys, "vision_model.embeddings.patch_embedding", v.patchInputSize(), v.hiddenSize());
        keys.put("vision_model.embeddings.position_embedding.weight", new long[] {v.numPatches(), v.hiddenSize()});
        encoder(keys, "vision_model.encoder", v.numHiddenLayers(), v.hiddenSize(), v.intermediateSize());
        norm(keys, "vision_model.post_layernorm", v.hiddenSize());
        poolingHead(keys, "vision_model.head", v.hiddenSize(), v.intermediateSize());
        return keys;
    }

    private static void encoder(Map<String, long[]> keys, String prefix, int layers, int hidden, int intermediate) {
        for (int i = 0; i < layers; i++) {
            String p = prefix + ".layers." + i;
            norm(keys, p + ".layer_norm1", hidden);
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                linear(keys, p + ".self_attn." + proj, hidden, hidden);
            }
            norm(keys, p + ".layer_norm2", hidden);
            linear(keys, p + ".mlp.fc1", hidden, intermediate);
            linear(keys, p + ".mlp.fc2", intermediate, hidden);
        }
    }

    private static void poolingHead(Map<String, long[]> keys, String prefix, int hidden, int intermediate) {
        keys.put(prefix + ".probe", new long[] {1, 1, hidden});
        keys.put(prefix + ".attention.in_proj_weight", new long[] {3L * hidden, hidden});
        keys.put(prefix + ".attention.in_proj_bias", new long[] {3L * hidden});
        linear(keys, prefix + ".attention.out_proj", hidden, hidden);
        norm(keys, prefix + ".layernorm", hidden);
        linear(keys, prefix + ".mlp.fc1", hidden, intermediate);
        linear(keys, prefix + ".mlp.fc2", intermediate, hidden);
    }

    private static void linear(Map<String, long[]> keys, String prefix, int in, int out) {
        keys.put(prefix + ".weight", new long[] {out, in});
        keys.put(prefix + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> keys, String prefix, int size) {
        keys.put(prefix + ".weight", new long[] {size});
        keys.put(prefix + ".bias", new long[] {size});
    }
}
