package org.fgclip2.model;

/**
 * Text tower configuration ({@code text_config} of {@code config.json}). Every value comes from the file; a key
 * the file omits takes the official {@code Fgclip2TextConfig} default, as {@code from_pretrained} does.
 *
 * @param maxPositionEmbeddings rows of the short/box position table, and the token length of those walks
 * @param keepLen long walk: positions below it use {@code position_embedding_ori}, the others {@code _res}
 * @param longtextLen rows of the two long-walk position tables, and the token length of the long walk
 * @param projectionSize out features of {@code text_model.head}
 */
public record TextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int projectionSize,
        int keepLen,
        int longtextLen) {

    public TextConfig {
        ConfigChecks.positive("text_config", "vocab_size", vocabSize);
        ConfigChecks.heads("text_config", hiddenSize, numAttentionHeads);
        ConfigChecks.positive("text_config", "intermediate_size", intermediateSize);
        ConfigChecks.positive("text_config", "num_hidden_layers", numHiddenLayers);
        ConfigChecks.positive("text_config", "max_position_embeddings", maxPositionEmbeddings);
        ConfigChecks.activation("text_config", hiddenAct);
        ConfigChecks.positive("text_config", "projection_size", projectionSize);
        if (keepLen < 0 || keepLen > longtextLen) {
            throw new ConfigException("text_config: keep_len " + keepLen + " must lie in [0, longtext_len "
                    + longtextLen + "]");
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}
