package dev.postrenderer.post;

import java.util.Objects;
import java.util.Optional;

/** The author of a post: {@code author: Name} or {@code author: {name, url}}. */
public record Author(String name, Optional<String> url) {

    public Author {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(url, "url == null");
    }
}
