package org.fgclip2.tokenizer;

import java.util.Arrays;

/**
 * Captions encoded for one text walk, padded to the walk's fixed length.
 *
 * @param inputIds [captions × length] token ids, row-major
 * @param validLengths per caption the number of non-pad tokens (for an attention mask, when one is passed)
 */
public record TokenizedCaptions(long[] inputIds, int[] validLengths, int length) {

    public int size() {
        return validLengths.length;
    }

    /** The ids of one caption, pads included. */
    public long[] ids(int caption) {
        return Arrays.copyOfRange(inputIds, caption * length, (caption + 1) * length);
    }
}
