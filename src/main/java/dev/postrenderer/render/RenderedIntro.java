package dev.postrenderer.render;

import java.util.Objects;
import java.util.Optional;

/** The root {@code index.md} rendered: what it says about the front page. */
public record RenderedIntro(Optional<String> title, Optional<String> description, String html) {

    public RenderedIntro {
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(html, "html == null");
    }
}
