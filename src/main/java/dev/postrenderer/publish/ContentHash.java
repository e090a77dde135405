package dev.postrenderer.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an object's bytes, which every write records in the object's user metadata, so
 * that "does this object hold these bytes?" is answered from a {@code HEAD} whatever the bucket's
 * encryption does to entity tags.
 */
public final class ContentHash {

    /** The user metadata name the hash is kept under ({@code x-amz-meta-content-sha256}). */
    public static final String METADATA = "content-sha256";

    private ContentHash() {
    }

    /** The hash of these bytes, in lower-case hex. */
    public static String of(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
