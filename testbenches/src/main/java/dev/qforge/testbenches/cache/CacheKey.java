package dev.qforge.testbenches.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content hash for the model cache. Every part is added with a label and its length, so two
 * different sets of parts can never hash the same bytes.
 */
public final class CacheKey {
    private final MessageDigest sha;

    public CacheKey() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public CacheKey add(String label, String content) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        sha.update((l.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(l);
        sha.update((":" + c.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(c);
        return this;
    }

    /** The key: 32 hex digits (128 bits of the hash), usable as a folder name. */
    public String hex() {
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
