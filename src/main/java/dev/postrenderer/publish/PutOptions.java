package dev.postrenderer.publish;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an object is written.
 *
 * @param contentType  the {@code Content-Type} readers get
 * @param cacheControl the {@code Cache-Control} readers get, if any
 * @param metadata     user metadata (names without the {@code x-amz-meta-} prefix)
 */
public record PutOptions(String contentType, Optional<String> cacheControl, Map<String, String> metadata) {

    public PutOptions {
        Objects.requireNonNull(contentType, "contentType == null");
        Objects.requireNonNull(cacheControl, "cacheControl == null");
        metadata = Map.copyOf(metadata);
    }
}
