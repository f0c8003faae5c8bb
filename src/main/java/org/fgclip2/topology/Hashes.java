package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Short, stable content hashes: the same inputs give the same hash on every instance. */
final class Hashes {
    private Hashes() {
    }

    /** SHA-256 over the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ; 16 hex chars. */
    static String of(List<String> parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
