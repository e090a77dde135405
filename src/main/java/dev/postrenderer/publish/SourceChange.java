package dev.postrenderer.publish;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A change to a source object, as an S3 event notification describes it: created (or
 * overwritten) or removed.
 *
 * @param size      the object's size in bytes, when the event carries it (creations do)
 * @param etag      the entity tag of the version the event is about, when known
 * @param sequencer S3's per-key ordering token, when known
 */
public record SourceChange(String key, boolean removed, OptionalLong size, Optional<String> etag,
                           Optional<String> sequencer) {

    /**
     * S3's order of sequencers: hexadecimal strings of varying length, compared after padding
     * the shorter with leading zeros (as the S3 event documentation prescribes).
     */
    public static final Comparator<String> SEQUENCER_ORDER = (a, b) -> {
        String x = a.toUpperCase(Locale.ROOT);
        String y = b.toUpperCase(Locale.ROOT);
        int width = Math.max(x.length(), y.length());
        return ("0".repeat(width - x.length()) + x).compareTo("0".repeat(width - y.length()) + y);
    };

    public SourceChange {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(size, "size == null");
        etag = Objects.requireNonNull(etag, "etag == null").map(SourceChange::unquoted);
        Objects.requireNonNull(sequencer, "sequencer == null");
    }

    /** A creation known only by its key, as when rendering a folder. */
    public static SourceChange created(String key) {
        return new SourceChange(key, false, OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /** A removal known only by its key. */
    public static SourceChange removed(String key) {
        return new SourceChange(key, true, OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /** Entity tags are compared without the quotes some APIs put around them. */
    public static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** True if this change happened before a change with the given sequencer. */
    public boolean isOlderThan(String otherSequencer) {
        return sequencer.map(own -> SEQUENCER_ORDER.compare(own, otherSequencer) < 0).orElse(false);
    }

    /** True if this change happened before one with this optional sequencer. */
    public boolean isOlderThan(Optional<String> otherSequencer) {
        return otherSequencer.filter(this::isOlderThan).isPresent();
    }

    /**
     * The newest change per key, in the order keys first appear: by sequencer, and, between
     * changes without one, the later in the list. Duplicates and stale changes of one batch
     * collapse into one.
     */
    public static List<SourceChange> newestPerKey(List<SourceChange> changes) {
        Map<String, SourceChange> newest = new LinkedHashMap<>();
        for (SourceChange change : changes) {
            newest.merge(change.key(), change, (kept, next) -> next.isOlderThan(kept.sequencer()) ? kept : next);
        }
        return new ArrayList<>(newest.values());
    }
}
