package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the site knows about one source post: enough to list it (title, date, tags, image …)
 * and to recognise stale and duplicate events (source ETag, sequencer, renderer version, the
 * page's own ETag). A deleted post stays as a tombstone, so a late event for an older version
 * cannot bring it back.
 *
 * @param path      the page's path from the site root, {@code posts/ai-art/}
 * @param image     the page image: a path from the site root or an absolute URL
 * @param content   the page's body with absolute URLs, kept only while the post is in the feed
 * @param pageEtag  the ETag of the page as written (the MD5 of its bytes)
 * @param deleted   a tombstone: the post was deleted or turned into a draft at {@code sequencer}
 */
public record ManifestEntry(String sourceKey, String path, String title, Optional<String> description,
                            Optional<PostDate> date, Optional<PostDate> updated, List<String> tags,
                            Optional<String> image, Optional<String> imageAlt, Optional<String> content,
                            Optional<String> sourceEtag, Optional<String> sequencer, String renderer,
                            Optional<String> pageEtag, boolean deleted) {

    public ManifestEntry {
        Objects.requireNonNull(sourceKey, "sourceKey == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(updated, "updated == null");
        tags = List.copyOf(tags);
        Objects.requireNonNull(image, "image == null");
        Objects.requireNonNull(imageAlt, "imageAlt == null");
        Objects.requireNonNull(content, "content == null");
        Objects.requireNonNull(sourceEtag, "sourceEtag == null");
        Objects.requireNonNull(sequencer, "sequencer == null");
        Objects.requireNonNull(renderer, "renderer == null");
        Objects.requireNonNull(pageEtag, "pageEtag == null");
    }

    /** A tombstone for a post deleted (or turned into a draft) by the change with this sequencer. */
    public static ManifestEntry tombstone(String sourceKey, String path, Optional<String> sequencer) {
        return new ManifestEntry(sourceKey, path, "", Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), sequencer, "", Optional.empty(),
                true);
    }

    /** This entry with its page's body for the feed. */
    public ManifestEntry withContent(String body) {
        return new ManifestEntry(sourceKey, path, title, description, date, updated, tags, image, imageAlt,
                Optional.of(body), sourceEtag, sequencer, renderer, pageEtag, deleted);
    }

    /** This entry without its feed content. */
    public ManifestEntry withoutContent() {
        return content.isEmpty() ? this : new ManifestEntry(sourceKey, path, title, description, date, updated, tags,
                image, imageAlt, Optional.empty(), sourceEtag, sequencer, renderer, pageEtag, deleted);
    }

    /** The most recent of {@code updated} and {@code date}. */
    public Optional<PostDate> lastModified() {
        return updated.or(() -> date);
    }
}
