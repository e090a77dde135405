package dev.postrenderer.site;

import java.util.Objects;
import java.util.Optional;

/**
 * A recent change to a key whose page another invocation may be about to write: a page replaced
 * by a newer version, or a post unpublished. Kept in the state for a while
 * ({@link SiteState#FENCE_MILLIS}), so that an invocation that wrote an older page before this
 * change committed does not list it afterwards.
 *
 * @param sequencer the change's S3 sequencer, when known
 * @param removed   true if the change unpublished the post
 * @param at        when the change was committed, in epoch milliseconds
 */
public record Fence(String key, Optional<String> sequencer, boolean removed, long at) {

    public Fence {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(sequencer, "sequencer == null");
    }
}
