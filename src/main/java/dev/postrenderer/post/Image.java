package dev.postrenderer.post;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** A front-matter image: {@code image: path} or {@code image: {src, alt, width, height, type}}. */
public record Image(String src, Optional<String> alt, OptionalInt width, OptionalInt height, Optional<String> type) {

    public Image {
        Objects.requireNonNull(src, "src == null");
        Objects.requireNonNull(alt, "alt == null");
        Objects.requireNonNull(width, "width == null");
        Objects.requireNonNull(height, "height == null");
        Objects.requireNonNull(type, "type == null");
    }

    /** An image given by its path alone. */
    public static Image of(String src) {
        return new Image(src, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
    }
}
