package dev.postrenderer.publish;

import java.util.Objects;
import java.util.Optional;

/**
 * A condition on the object currently at a key, checked atomically by the store as part of a
 * write: S3's {@code If-Match} and {@code If-None-Match: *}.
 */
public sealed interface Precondition {

    /** Write only if there is no object at the key. */
    Precondition ABSENT = new Absent();

    /** Write only if the object at the key still has this entity tag. */
    static Precondition matching(String etag) {
        return new Matching(etag);
    }

    /** The condition that holds for what was read: the object's entity tag, or absence. */
    static Precondition unchangedFrom(Optional<ObjectInfo> read) {
        return read.flatMap(ObjectInfo::etag).<Precondition>map(Matching::new).orElse(ABSENT);
    }

    /** {@code If-None-Match: *}. */
    record Absent() implements Precondition {
    }

    /** {@code If-Match: etag}. */
    record Matching(String etag) implements Precondition {
        public Matching {
            Objects.requireNonNull(etag, "etag == null");
        }
    }
}
