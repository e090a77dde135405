package dev.postrenderer.publish;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Publisher} did with one source key.
 *
 * @param siteKey the site object concerned, if any
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
        /** The source object is gone (deleted since the event): nothing published, any earlier page removed. */
        SOURCE_MISSING,
        /** A removal whose source is back (re-uploaded since): the page is kept. */
        KEPT,
        /** The page already shows this version of the source, rendered by this renderer: nothing written. */
        UNCHANGED,
        /** The page was published from a later change than this event: nothing written. */
        STALE,
        /** The source has changed again since this event; the later change's own event publishes it. */
        SUPERSEDED;

        /** True if the site was written to (an object put or deleted). */
        public boolean wroteSite() {
            return switch (this) {
                case RENDERED, COPIED, DRAFT, DELETED, SOURCE_MISSING -> true;
                default -> false;
            };
        }
    }

    public PublishResult {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(siteKey, "siteKey == null");
    }
}
