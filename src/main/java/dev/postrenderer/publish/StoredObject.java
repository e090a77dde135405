package dev.postrenderer.publish;

import java.util.Objects;

/** An object read from a store: what the store knows about it, and its bytes. */
public record StoredObject(ObjectInfo info, byte[] content) {

    public StoredObject {
        Objects.requireNonNull(info, "info == null");
        Objects.requireNonNull(content, "content == null");
    }
}
