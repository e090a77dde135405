package dev.postrenderer.site;

import dev.postrenderer.post.Author;
import dev.postrenderer.post.PostDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the Atom feed, as the feed itself records it, so that the next batch can keep the
 * entries it does not change without reading their posts again.
 *
 * @param path      the page's path from the site root, {@code posts/ai-art/}
 * @param published the post's date; undated posts have none
 * @param updated   the most recent of the post's update and date
 * @param content   the page's body with absolute URLs
 * @param author    the post's author, when its front matter names one (else the feed's author stands)
 * @param pageEtag  the entity tag of the page the entry was made from
 */
public record FeedItem(String path, String title, Optional<PostDate> published, Optional<PostDate> updated,
                       List<String> categories, Optional<String> summary, String content, Optional<Author> author,
                       String pageEtag) {

    public FeedItem {
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(published, "published == null");
        Objects.requireNonNull(updated, "updated == null");
        categories = List.copyOf(categories);
        Objects.requireNonNull(summary, "summary == null");
        Objects.requireNonNull(content, "content == null");
        Objects.requireNonNull(author, "author == null");
        Objects.requireNonNull(pageEtag, "pageEtag == null");
    }

    /** The entry for a post whose page body, with absolute URLs, is {@code content}. */
    public static FeedItem of(PostEntry post, String content, Optional<Author> author) {
        return new FeedItem(post.path(), post.title(), post.date(), post.lastModified(), post.tags(),
                post.description(), content, author, post.pageEtag());
    }

    /** Where the entry sorts: as its post does in listings. */
    public Position position() {
        return new Position(published, path);
    }
}
