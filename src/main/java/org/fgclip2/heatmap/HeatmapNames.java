package org.fgclip2.heatmap;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Safe, collision-free names for the user-chosen ids of a {@link HeatmapKey}, shared by every store so that a
 * heatmap has the same relative name in a folder and in a bucket.
 *
 * <p>Each id becomes {@code <readable>~<hash>}: up to {@value #READABLE_CHARS} of its characters with everything
 * but {@code A-Z a-z 0-9 . _ -} replaced by {@code _} (and a leading dot too, so no name is hidden, "." or ".."),
 * then {@code ~} and 32 hex digits of the SHA-256 of the exact id. The readable part is for people browsing the
 * store; the hash makes names collision-free, also on case-insensitive file systems and for ids that differ only in
 * replaced characters or beyond the readable length. No id can produce a separator, a NUL, a character S3 wants
 * escaped, or a name longer than a file system allows.
 */
public final class HeatmapNames {

    static final int READABLE_CHARS = 48;
    private static final int HASH_BYTES = 16;

    private HeatmapNames() {
    }

    /** {@code <image>/<label set>/<label>.png}, each part a {@link #segment(String)}. */
    public static String relativePath(HeatmapKey key) {
        return segment(key.imageId()) + "/" + segment(key.labelSet()) + "/" + segment(key.labelId()) + ".png";
    }

    /** The safe name of one id (see the class comment). */
    static String segment(String id) {
        StringBuilder readable = new StringBuilder();
        for (int i = 0; i < id.length() && readable.length() < READABLE_CHARS; i++) {
            char ch = id.charAt(i);
            boolean safe = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
                    || ch == '_' || ch == '-' || ch == '.' && i > 0;
            readable.append(safe ? ch : '_');
        }
        return readable + "~" + HexFormat.of().formatHex(sha256(id), 0, HASH_BYTES);
    }

    /** Over the UTF-16 code units, not UTF-8: an encoder would merge distinct lone surrogates into one '?'. */
    private static byte[] sha256(String id) {
        ByteBuffer units = ByteBuffer.allocate(id.length() * 2);
        units.asCharBuffer().put(id);
        try {
            return MessageDigest.getInstance("SHA-256").digest(units.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
