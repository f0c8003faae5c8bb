package org.fgclip2.inference;

import java.util.List;
import org.fgclip2.model.TextWalk;
import org.fgclip2.tokenizer.TokenizedCaptions;

/**
 * Text features of one walk.
 *
 * @param normalized the {@code get_text_features} rows L2-normalised (what scores and heatmaps use)
 */
public record TextEncoding(List<String> texts, TextWalk walk, TokenizedCaptions tokens, float[][] normalized) {

    public int size() {
        return texts.size();
    }
}
