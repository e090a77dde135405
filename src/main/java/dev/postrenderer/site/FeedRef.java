package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A post in the feed, as the site's state records it: which post, where it sorts, and the ETag of
 * the page its entry must be made from. The feed file records the same ETag per entry, so that a
 * batch can keep an entry as it is when the ETags agree, and make it again when they do not,
 * whatever order concurrent batches wrote the feed in.
 */
public record FeedRef(String key, String path, Optional<PostDate> date, String pageEtag) {

    public FeedRef {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(pageEtag, "pageEtag == null");
    }

    public static FeedRef of(PostEntry entry) {
        return new FeedRef(entry.key(), entry.path(), entry.date(), entry.pageEtag());
    }

    public Position position() {
        return new Position(date, path);
    }
}
