package dev.postrenderer.render;

import dev.postrenderer.post.Author;
import dev.postrenderer.post.PostDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A post rendered to its page, with what site listings need to know about it.
 *
 * @param siteKey     where the page goes: {@code posts/ai-art/index.html}
 * @param html        the complete HTML document
 * @param title       the page title
 * @param description the page description, if any
 * @param image       the page image, if any
 * @param content     the body as it appears on the page, after the {@code h1}, with links
 *                    relative to the page
 * @param author      the post's author, if its front matter names one
 * @param warnings    what the author should fix but did not stop the page, each naming its line
 */
public record RenderedPage(String siteKey, String html, String title, Optional<String> description,
                           Optional<PostDate> date, Optional<PostDate> updated, List<String> tags,
                           Optional<PageImage> image, String content, Optional<Author> author,
                           List<String> warnings) {

    public RenderedPage {
        Objects.requireNonNull(siteKey, "siteKey == null");
        Objects.requireNonNull(html, "html == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(updated, "updated == null");
        tags = List.copyOf(tags);
        Objects.requireNonNull(image, "image == null");
        Objects.requireNonNull(content, "content == null");
        Objects.requireNonNull(author, "author == null");
        warnings = List.copyOf(warnings);
    }
}
