package dev.postrenderer.post;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@code head:} block of the front matter: explicit values that win over derived ones. */
public record Head(Optional<String> title, Optional<String> description, Optional<Image> image,
                   List<MetaEntry> meta, List<LinkEntry> link) {

    /** A post without a {@code head:} block. */
    public static final Head EMPTY = new Head(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());

    public Head {
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(image, "image == null");
        meta = List.copyOf(meta);
        link = List.copyOf(link);
    }
}
