package dev.postrenderer.site;

import dev.postrenderer.image.PublishedImage;
import dev.postrenderer.post.PostDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the site knows about one published post: enough to list it (title, date, tags, image …)
 * and to recognise stale and duplicate changes (source ETag, sequencer, renderer, the page's own
 * ETag). The entry in the front listing is the post's authoritative record; tag listings hold
 * copies.
 *
 * @param key        the source key, {@code posts/ai-art.md}
 * @param path       the page's path from the site root, {@code posts/ai-art/}
 * @param image      the page image: a path from the site root or an absolute URL
 * @param imageFacts the page image's facts and variants, when it is a published image of the site
 * @param sourceEtag the ETag of the source version the page was rendered from
 * @param sequencer  S3's sequencer of the change that published it, when known
 * @param renderer   the renderer version that made the page
 * @param pageEtag   the ETag of the page as written (the MD5 of its bytes)
 */
public record PostEntry(String key, String path, String title, Optional<String> description,
                        Optional<PostDate> date, Optional<PostDate> updated, List<String> tags,
                        Optional<String> image, Optional<String> imageAlt, Optional<PublishedImage> imageFacts,
                        Optional<String> sourceEtag,
                        Optional<String> sequencer, String renderer, String pageEtag) {

    public PostEntry {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(updated, "updated == null");
        tags = List.copyOf(tags);
        Objects.requireNonNull(image, "image == null");
        Objects.requireNonNull(imageAlt, "imageAlt == null");
        Objects.requireNonNull(imageFacts, "imageFacts == null");
        Objects.requireNonNull(sourceEtag, "sourceEtag == null");
        Objects.requireNonNull(sequencer, "sequencer == null");
        Objects.requireNonNull(renderer, "renderer == null");
        Objects.requireNonNull(pageEtag, "pageEtag == null");
    }

    /** Where the entry sorts in every listing. */
    public Position position() {
        return new Position(date, path);
    }

    /**
     * This entry as a tag's listing keeps it: what its cards show, without the record of versions
     * that only the front listing's entry, the post's authoritative one, needs.
     */
    public PostEntry card() {
        return new PostEntry(key, path, title, description, date, updated, List.of(), image, imageAlt, imageFacts,
                Optional.empty(), Optional.empty(), "", "");
    }

    /** The most recent of {@code updated} and {@code date}. */
    public Optional<PostDate> lastModified() {
        return updated.or(() -> date);
    }

    public static Builder builder(String key, String path) {
        return new Builder(key, path);
    }

    public Builder toBuilder() {
        return new Builder(key, path).title(title).description(description).date(date).updated(updated).tags(tags)
                .image(image).imageAlt(imageAlt).imageFacts(imageFacts).sourceEtag(sourceEtag).sequencer(sequencer).renderer(renderer)
                .pageEtag(pageEtag);
    }

    /** Builds an entry field by field; every optional field starts empty. */
    public static final class Builder {
        private final String key;
        private final String path;
        private String title = "";
        private Optional<String> description = Optional.empty();
        private Optional<PostDate> date = Optional.empty();
        private Optional<PostDate> updated = Optional.empty();
        private List<String> tags = List.of();
        private Optional<String> image = Optional.empty();
        private Optional<String> imageAlt = Optional.empty();
        private Optional<PublishedImage> imageFacts = Optional.empty();
        private Optional<String> sourceEtag = Optional.empty();
        private Optional<String> sequencer = Optional.empty();
        private String renderer = "";
        private String pageEtag = "";

        private Builder(String key, String path) {
            this.key = Objects.requireNonNull(key, "key == null");
            this.path = Objects.requireNonNull(path, "path == null");
        }

        public Builder title(String value) {
            this.title = value;
            return this;
        }

        public Builder description(Optional<String> value) {
            this.description = value;
            return this;
        }

        public Builder date(Optional<PostDate> value) {
            this.date = value;
            return this;
        }

        public Builder updated(Optional<PostDate> value) {
            this.updated = value;
            return this;
        }

        public Builder tags(List<String> value) {
            this.tags = List.copyOf(value);
            return this;
        }

        public Builder image(Optional<String> value) {
            this.image = value;
            return this;
        }

        public Builder imageAlt(Optional<String> value) {
            this.imageAlt = value;
            return this;
        }

        public Builder imageFacts(Optional<PublishedImage> value) {
            this.imageFacts = value;
            return this;
        }

        public Builder sourceEtag(Optional<String> value) {
            this.sourceEtag = value;
            return this;
        }

        public Builder sequencer(Optional<String> value) {
            this.sequencer = value;
            return this;
        }

        public Builder renderer(String value) {
            this.renderer = value;
            return this;
        }

        public Builder pageEtag(String value) {
            this.pageEtag = value;
            return this;
        }

        public PostEntry build() {
            return new PostEntry(key, path, title, description, date, updated, tags, image, imageAlt, imageFacts, sourceEtag,
                    sequencer, renderer, pageEtag);
        }
    }
}
