package dev.postrenderer.publish;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Publisher} did with one source key.
 *
 * @param siteKey the site object written or deleted, if any
 */
public record PublishResult(String key, Action action, Optional<String> siteKey) {

    /** What happened. */
    public enum Action {
        /** A post was rendered and its page written. */
        RENDERED,
        /** An asset was copied to the site. */
        COPIED,
        /** A draft: not published, and any earlier page of it removed. */
        DRAFT,
        /** A page or asset was removed because its source was deleted. */
        DELETED,
        /** Configuration, a hidden file or a folder marker: nothing to publish. */
        IGNORED,
        /** The source object was not there (deleted since the event); nothing written. */
        SOURCE_MISSING,
        /** A removal whose source is back (re-uploaded since): the page is kept. */
        KEPT
    }

    public PublishResult {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(siteKey, "siteKey == null");
    }
}
