package org.fgclip2.topology;

import java.time.Duration;

/**
 * How many image embeddings every instance keeps for repeats, and for how long.
 *
 * @param maxEntries most embeddings held (least recently used go first); 0 keeps none and runs every image
 * @param maxAge an embedding older than this (by its first image's event time) is not used again
 */
public record EmbeddingCacheSettings(int maxEntries, Duration maxAge) {

    public EmbeddingCacheSettings {
        if (maxEntries < 0 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the embedding cache needs maxEntries >= 0 and a positive maxAge, got "
                    + maxEntries + " and " + maxAge);
        }
    }

    public boolean enabled() {
        return maxEntries > 0;
    }
}
