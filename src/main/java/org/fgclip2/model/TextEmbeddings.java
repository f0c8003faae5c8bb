package org.fgclip2.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import org.fgclip2.model.nn.WeightLoader;

/**
 * {@code text_model.embeddings}: token embedding plus a position term that depends on the walk. The long walk's
 * table is assembled once at load: rows below {@code keep_len} from {@code position_embedding_ori}, the rest from
 * {@code position_embedding_res} (each position takes exactly one of the two, never a blend).
 */
public record TextEmbeddings(
        NDArray tokenEmbedding,
        NDArray positionEmbedding,
        NDArray positionEmbeddingOri,
        NDArray positionEmbeddingRes,
        NDArray longPositionTable) {

    static TextEmbeddings load(WeightLoader weights, TextConfig c) {
        String p = "text_model.embeddings.";
        NDArray ori = weights.tensor(p + "position_embedding_ori.weight", c.longtextLen(), c.hiddenSize());
        NDArray res = weights.tensor(p + "position_embedding_res.weight", c.longtextLen(), c.hiddenSize());
        NDArray longTable = c.keepLen() == 0 ? res.duplicate()
                : ori.get("0:" + c.keepLen()).concat(res.get(c.keepLen() + ":"), 0);
        return new TextEmbeddings(
                weights.tensor(p + "token_embedding.weight", c.vocabSize(), c.hiddenSize()),
                weights.tensor(p + "position_embedding.weight", c.maxPositionEmbeddings(), c.hiddenSize()),
                ori, res, longTable);
    }

    /** @param inputIds [B, L] int64; L must be the walk's token length */
    public NDArray forward(NDArray inputIds, TextWalk walk) {
        long length = inputIds.getShape().get(1);
        NDArray table = walk == TextWalk.LONG ? longPositionTable : positionEmbedding;
        if (length > table.getShape().get(0) || (walk == TextWalk.LONG && length != table.getShape().get(0))) {
            throw new IllegalArgumentException("walk " + walk.id() + " takes " + (walk == TextWalk.LONG ? "exactly " : "at most ")
                    + table.getShape().get(0) + " tokens, got " + length);
        }
        NDArray tokens = Embedding.embedding(inputIds, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
        try (NDArray positions = table.get("0:" + length)) {
            return tokens.addi(positions);
        }
    }
}
