package dev.postrenderer.publish;

import dev.postrenderer.site.SitePage;
import java.util.Objects;
import java.util.Optional;

/**
 * One page around the posts that a commit changes: its bytes under the state before (none for a new
 * page) and after (none for a page that goes).
 */
record PageWrite(String key, Optional<byte[]> before, Optional<SitePage> after) {

    PageWrite {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(before, "before == null");
        Objects.requireNonNull(after, "after == null");
    }

    /** A page written whole, whatever it was: for a rebuild, which owns every page it writes. */
    static PageWrite fresh(SitePage page) {
        return new PageWrite(page.key(), Optional.empty(), Optional.of(page));
    }

    /** A page from its bytes before and its page after, either of which may be missing. */
    static PageWrite of(String key, Optional<SitePage> before, Optional<SitePage> after) {
        return new PageWrite(key, before.map(SitePage::content), after);
    }

    /** This write with another's page after it: the earlier of two writes of a key knows what it was before. */
    PageWrite then(PageWrite later) {
        return new PageWrite(key, before, later.after());
    }
}
