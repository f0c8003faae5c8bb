package org.fgclip2.heatmap;

import java.net.URI;

/**
 * Where rendered heatmap PNGs go; the URI it returns is what the topology publishes. Implementations must be
 * thread-safe, store each key under a name its ids cannot steer out of the store, replace an earlier heatmap of
 * the same key (so a reprocessed event overwrites instead of piling up), and never expose a half-written one.
 */
public interface HeatmapStore extends AutoCloseable {

    /**
     * Stores {@code png} under {@code key}, replacing what was there.
     *
     * @return where the heatmap can be read
     * @throws java.io.UncheckedIOException if it cannot be stored
     */
    URI put(HeatmapKey key, byte[] png);

    /** Releases connections a remote store holds; a folder holds none. */
    @Override
    default void close() {
    }
}
