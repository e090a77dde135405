package dev.postrenderer.post;

import java.util.Objects;

/**
 * A parsed post: where it came from, its front matter and its markdown body.
 *
 * @param bodyLine the 1-based line of the source file where the body starts
 */
public record Post(SourceKey source, FrontMatter frontMatter, String body, int bodyLine) {

    public Post {
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(frontMatter, "frontMatter == null");
        Objects.requireNonNull(body, "body == null");
    }
}
