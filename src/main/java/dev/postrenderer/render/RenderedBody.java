package dev.postrenderer.render;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rendered markdown body.
 *
 * @param titleHtml      the body's leading level-one heading as HTML, if it starts with one: it
 *                       is the page's {@code h1}
 * @param html           the rest of the body as safe HTML
 * @param firstHeading   plain text of the first level-one heading, for the title fallback
 * @param firstParagraph plain text of the first paragraph, for the description fallback
 * @param hasCode        true if a code block was highlighted: the page needs the code palette
 * @param warnings       what the author should fix but did not stop the page, each naming its line
 */
public record RenderedBody(Optional<String> titleHtml, String html, Optional<String> firstHeading,
                           Optional<String> firstParagraph, boolean hasCode, List<String> warnings) {

    public RenderedBody {
        Objects.requireNonNull(titleHtml, "titleHtml == null");
        Objects.requireNonNull(html, "html == null");
        Objects.requireNonNull(firstHeading, "firstHeading == null");
        Objects.requireNonNull(firstParagraph, "firstParagraph == null");
        warnings = List.copyOf(warnings);
    }
}
