package dev.postrenderer.site;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one batch did to a listing: its new record, its front page before and after, and every
 * archive page that appeared, changed (posts or links) or went away, before and after. The pages
 * a batch must write follow from it, and nothing else.
 *
 * @param meta     the listing's new record; empty when it has no posts left
 * @param released refs the new state no longer uses
 * @param retained refs the new state's changed containers use
 */
public record ListingEdit(String id, Optional<ListingMeta> meta, PageView frontBefore, PageView frontAfter,
                          List<PageChange> archive, List<String> released, List<String> retained) {

    public ListingEdit {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(meta, "meta == null");
        Objects.requireNonNull(frontBefore, "frontBefore == null");
        Objects.requireNonNull(frontAfter, "frontAfter == null");
        archive = List.copyOf(archive);
        released = List.copyOf(released);
        retained = List.copyOf(retained);
    }

    /** True if nothing a reader sees changed. */
    public boolean unchanged() {
        return frontBefore.equals(frontAfter) && archive.isEmpty();
    }

    /**
     * A page as readers see it: its posts (newest first) and the pages its links lead to.
     *
     * @param newer the archive page with newer posts; empty when that is the front page (or, for
     *              the front page itself, always)
     * @param older the archive page with older posts, if any
     */
    public record PageView(List<PostEntry> posts, Optional<String> newer, Optional<String> older) {

        public static final PageView EMPTY = new PageView(List.of(), Optional.empty(), Optional.empty());

        public PageView {
            posts = List.copyOf(posts);
            Objects.requireNonNull(newer, "newer == null");
            Objects.requireNonNull(older, "older == null");
        }
    }

    /** An archive page before and after the batch; empty before for a new page, after for a page gone. */
    public record PageChange(String name, Optional<PageView> before, Optional<PageView> after) {
        public PageChange {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(before, "before == null");
            Objects.requireNonNull(after, "after == null");
        }
    }
}
