package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a post sorts in a listing: newest first by date (dated posts before undated ones), then
 * by source key. Two posts never share a position, since keys are unique, and the position is
 * known from the date and the key alone, so a page's metadata is enough to find its entry.
 */
public record Position(Optional<PostDate> date, String key) implements Comparable<Position> {

    /** Newest first: dated before undated, later dates first, then keys in ascending order. */
    public static final Comparator<Position> ORDER = Comparator
            .comparing((Position position) -> position.date().isEmpty())
            .thenComparing(position -> position.date().orElse(null), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Position::key);

    public Position {
        Objects.requireNonNull(date, "date == null");
        Objects.requireNonNull(key, "key == null");
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
