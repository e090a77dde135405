package dev.postrenderer.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The entity tag S3 gives an object uploaded in one part with S3-managed encryption (SSE-S3, S3's
 * default) or none: the MD5 of its bytes, in hex. A prediction only: under SSE-KMS entity tags are
 * not MD5s. It spares a request where it holds (see {@link SitePagesWriter}); nothing is correct
 * only because it holds.
 */
public final class ETags {

    private ETags() {
    }

    /** The entity tag S3 gives these bytes when it gives their MD5. */
    public static String of(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available", e);
        }
    }
}
