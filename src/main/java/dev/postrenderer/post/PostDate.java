package dev.postrenderer.post;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A front-matter date: either a calendar date ({@code 2024-03-18}) or an instant with an offset
 * ({@code 2024-02-29T18:45:00+01:00}, {@code 2024-04-02T09:30:00Z}).
 *
 * <p>A date without a time is kept as written in {@link #iso()} and ordered as midnight UTC.
 */
public record PostDate(OffsetDateTime value, boolean dateOnly) implements Comparable<PostDate> {

    public PostDate {
        Objects.requireNonNull(value, "value == null");
    }

    /** Parses the two ISO-8601 forms authors use; empty if the text is neither. */
    public static Optional<PostDate> parse(String text) {
        String s = text.strip();
        try {
            if (s.length() == 10) {
                return Optional.of(new PostDate(LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC), true));
            }
            return Optional.of(new PostDate(OffsetDateTime.parse(s.replace(' ', 'T')), false));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** ISO-8601 text: {@code 2024-03-18} for a date, {@code 2024-04-02T09:30:00Z} for a date-time. */
    public String iso() {
        return dateOnly ? value.toLocalDate().toString() : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
    }

    /** RFC 3339 date-time, as Atom and sitemaps want it; a date becomes midnight UTC. */
    public String rfc3339() {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
    }

    @Override
    public int compareTo(PostDate other) {
        return value.toInstant().compareTo(other.value.toInstant());
    }
}
