package dev.postrenderer.publish;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a batch is, once planned: the newest change per key, sorted by what it touches, with the
 * keys that lost their site key to another key of the batch already refused.
 *
 * @param posts           post changes, each to be rendered or unpublished (and the rivals that take
 *                        over the page of a post the batch removes, as if just uploaded)
 * @param intro           the change to the root {@code index.md}, if any
 * @param assets          asset changes, copied or deleted first
 * @param successorAssets assets that take over the page of a post the batch removes: copied last
 * @param layoutKeys      changed files under {@code _layouts/}
 * @param whole           a rebuild of the whole site from its source
 * @param removed         every key the batch removes
 * @param displacedBy     keys refused in this batch because another key of it takes their page, by that key
 * @param rerendered      posts in {@code posts} only because an image they show changed: rendered
 *                        again even when their source and the renderer have not changed
 */
record BatchPlan(List<SourceChange> posts, Optional<SourceChange> intro, List<SourceChange> assets,
                 List<SourceChange> successorAssets, List<String> layoutKeys, boolean whole, Set<String> removed,
                 Map<String, Set<String>> displacedBy, Set<String> rerendered) {

    BatchPlan {
        posts = List.copyOf(posts);
        Objects.requireNonNull(intro, "intro == null");
        assets = List.copyOf(assets);
        successorAssets = List.copyOf(successorAssets);
        layoutKeys = List.copyOf(layoutKeys);
        removed = Set.copyOf(removed);
        displacedBy = Map.copyOf(displacedBy);
        rerendered = Set.copyOf(rerendered);
    }

    /** This plan with posts rendered again because images they show changed; posts it has already are not repeated. */
    BatchPlan withRerendered(Collection<String> keys) {
        Set<String> present = new HashSet<>();
        posts.forEach(change -> present.add(change.key()));
        List<SourceChange> more = new ArrayList<>(posts);
        Set<String> again = new HashSet<>(rerendered);
        for (String key : keys) {
            if (!removed.contains(key) && present.add(key)) {
                more.add(SourceChange.created(key));
                again.add(key);
            }
        }
        return new BatchPlan(more, intro, assets, successorAssets, layoutKeys, whole, removed, displacedBy, again);
    }

    /** True if the layouts may have changed: a layout file changed, or the whole site is rebuilt. */
    boolean layoutsChanged() {
        return whole || !layoutKeys.isEmpty();
    }

    /** True if the site's state may change: a post, the introduction or the layouts. */
    boolean touchesState() {
        return !posts.isEmpty() || intro.isPresent() || layoutsChanged();
    }
}
