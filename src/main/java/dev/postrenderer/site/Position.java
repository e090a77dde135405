package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a post sorts in a listing: newest first by date (dated posts before undated ones), then
 * by the page's path. Two posts never share a position, since a path has one owner, and the
 * position is known from the date and the path alone, so a page's metadata, or a feed entry, is
 * enough to place it.
 *
 * @param path the page's path from the site root, {@code posts/ai-art/}
 */
public record Position(Optional<PostDate> date, String path) implements Comparable<Position> {

    /** Newest first: dated before undated, later dates first, then paths in ascending order. */
    public static final Comparator<Position> ORDER = Comparator
            .comparing((Position position) -> position.date().isEmpty())
            .thenComparing(position -> position.date().orElse(null), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Position::path);

    public Position {
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(path, "path == null");
    }

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }

    /** True if this position comes after {@code other} in a listing: the post is older. */
    public boolean olderThan(Position other) {
        return compareTo(other) > 0;
    }
}
