package dev.postrenderer.publish;

import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.SiteState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A commit of the site's state, as the pages around the posts need it: the state before and after,
 * what it did to each listing it edited, the changes it applied, and every post's final outcome (a
 * change another batch outdated meanwhile is {@code STALE}).
 *
 * @param parts where the listings' parts are read, as the commit read them
 */
record Commit(SiteState before, StateStore.Snapshot after, Map<String, ListingEdit> edits,
              List<ResolvedChange> applied, List<PostOutcome> outcomes, StateStore.Transaction parts) {

    Commit {
        Objects.requireNonNull(before, "before == null");
        Objects.requireNonNull(after, "after == null");
        edits = Collections.unmodifiableMap(new LinkedHashMap<>(edits)); // in listing order
        applied = List.copyOf(applied);
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(parts, "parts == null");
    }
}
