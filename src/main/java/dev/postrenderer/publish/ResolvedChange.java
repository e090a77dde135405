package dev.postrenderer.publish;

import dev.postrenderer.site.PostEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A post's change as one commit attempt applies it to the state it commits on: the outcome of the
 * post stage ({@link PostOutcome.Listed} or {@link PostOutcome.Unlisted}), the entry the listings
 * hold for the post now (to take out), and the entries of the keys whose page it took over.
 */
record ResolvedChange(PostOutcome outcome, Optional<PostEntry> listed, List<PostEntry> displaced) {

    ResolvedChange {
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(listed, "listed == null");
        displaced = List.copyOf(displaced);
    }

    /** The entry to list, for a post whose page is written. */
    Optional<PostEntry> entry() {
        return outcome instanceof PostOutcome.Listed listed ? Optional.of(listed.entry()) : Optional.empty();
    }

    /** True if the change leaves a fence: a replaced or removed page. */
    boolean fence() {
        return outcome instanceof PostOutcome.Unlisted || outcome instanceof PostOutcome.Listed listed && listed.fence();
    }
}
