package org.fgclip2.model;

import java.util.Locale;

/**
 * The three ways the official {@code get_text_features} runs the text tower. They share the token embedding and
 * the encoder and differ in the position table, the token length and the output head.
 */
public enum TextWalk {
    /** Captions and labels: 64-row position table, {@code text_model.head}. */
    SHORT,
    /** Region phrases: same as short, but {@code boxtext_head}. */
    BOX,
    /** Long descriptions: {@code ori} table for the first {@code keep_len} positions, {@code res} after, {@code longtext_head}. */
    LONG;

    /** Token length the walk is run at (the official tokenizer pads to exactly this). */
    public int tokenLength(TextConfig config) {
        return this == LONG ? config.longtextLen() : config.maxPositionEmbeddings();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TextWalk parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown text walk '" + s + "': use short, box or long");
        }
    }
}
