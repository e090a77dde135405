package dev.postrenderer.publish;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** S3's entity tag of an object uploaded in one part, without SSE-KMS: the MD5 of its bytes, in hex. */
public final class ETags {

    private ETags() {
    }

    /** The ETag S3 gives these bytes. */
    public static String of(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available", e);
        }
    }
}
