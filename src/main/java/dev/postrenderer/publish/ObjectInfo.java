package dev.postrenderer.publish;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about an object without reading it.
 *
 * @param etag     the entity tag, when the store keeps one (S3 does; listings of a folder do not);
 *                 opaque: with SSE-KMS it is not the MD5 of the bytes, so it is compared only with
 *                 entity tags the store itself gave
 * @param metadata user metadata, lower-case names without the {@code x-amz-meta-} prefix
 * @param sha256   the SHA-256 of the content, in hex, when the store can tell it without reading
 *                 the object: S3 keeps the one each write records ({@link ContentHash#METADATA}), a
 *                 folder computes it
 */
public record ObjectInfo(String key, long size, Optional<String> etag, Map<String, String> metadata,
                         Optional<String> sha256) {

    public ObjectInfo {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(etag, "etag == null");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(sha256, "sha256 == null");
    }

    /** An object whose content hash the store does not know. */
    public ObjectInfo(String key, long size, Optional<String> etag, Map<String, String> metadata) {
        this(key, size, etag, metadata, Optional.ofNullable(metadata.get(ContentHash.METADATA)));
    }

    /** True if the store knows this object holds exactly these bytes. */
    public boolean holds(byte[] content) {
        return sha256.filter(ContentHash.of(content)::equals).isPresent();
    }
}
