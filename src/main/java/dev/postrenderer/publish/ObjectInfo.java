package dev.postrenderer.publish;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about an object without reading it.
 *
 * @param etag     the entity tag, when the store keeps one (S3 does; listings of a folder do not)
 * @param metadata user metadata, lower-case names without the {@code x-amz-meta-} prefix
 */
public record ObjectInfo(String key, long size, Optional<String> etag, Map<String, String> metadata) {

    public ObjectInfo {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(etag, "etag == null");
        metadata = Map.copyOf(metadata);
    }
}
