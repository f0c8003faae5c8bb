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
        MessageDigest sha = sha256();
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** The whole SHA-256 of some content, 64 lower-case hex chars: what identifies a picture by its bytes. */
    static String ofContent(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
