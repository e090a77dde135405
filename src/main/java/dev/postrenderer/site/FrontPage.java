package dev.postrenderer.site;

import java.util.Objects;
import java.util.Optional;

/**
 * What the root {@code index.md} says about the front page: its title, description and an
 * introduction shown above the list of posts.
 *
 * @param introHtml the rendered body of {@code index.md}
 */
public record FrontPage(Optional<String> title, Optional<String> description, String introHtml) {

    public FrontPage {
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(introHtml, "introHtml == null");
    }
}
