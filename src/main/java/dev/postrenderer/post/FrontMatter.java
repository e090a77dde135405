package dev.postrenderer.post;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed front matter of a post, in Nuxt Content's vocabulary.
 *
 * @param extra every key this record does not model, as parsed (strings, lists and maps), kept
 *              for custom layouts
 */
public record FrontMatter(
        Optional<String> title,
        Optional<String> description,
        Optional<PostDate> date,
        Optional<PostDate> updated,
        List<String> tags,
        Optional<Image> image,
        Optional<String> img,
        Head head,
        boolean draft,
        Optional<String> lang,
        Optional<Author> author,
        Map<String, Object> extra) {

    /** The front matter of a post that has none. */
    public static final FrontMatter EMPTY = new FrontMatter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Head.EMPTY, false, Optional.empty(),
            Optional.empty(), Map.of());

    public FrontMatter {
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(updated, "updated == null");
        tags = List.copyOf(tags);
        Objects.requireNonNull(image, "image == null");
        Objects.requireNonNull(img, "img == null");
        Objects.requireNonNull(head, "head == null");
        Objects.requireNonNull(lang, "lang == null");
        Objects.requireNonNull(author, "author == null");
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }
}
