package dev.postrenderer.publish;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A change to a source object, as an S3 event notification describes it.
 *
 * @param size      the object's size in bytes, when the event carries it (creations do)
 * @param etag      the entity tag of the version the event is about, when known
 * @param sequencer S3's per-key ordering token, when known
 */
public record SourceEvent(String key, OptionalLong size, Optional<String> etag, Optional<String> sequencer) {

    /**
     * S3's order of sequencers: hexadecimal strings of varying length, compared after padding
     * the shorter with leading zeros (as the S3 event documentation prescribes).
     */
    public static final Comparator<String> SEQUENCER_ORDER = (a, b) -> {
        String x = a.toUpperCase(java.util.Locale.ROOT);
        String y = b.toUpperCase(java.util.Locale.ROOT);
        int width = Math.max(x.length(), y.length());
        return ("0".repeat(width - x.length()) + x).compareTo("0".repeat(width - y.length()) + y);
    };

    public SourceEvent {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(size, "size == null");
        etag = Objects.requireNonNull(etag, "etag == null").map(SourceEvent::unquoted);
        Objects.requireNonNull(sequencer, "sequencer == null");
    }

    /** A change known only by its key, as when rendering a folder. */
    public static SourceEvent of(String key) {
        return new SourceEvent(key, OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /** Entity tags are compared without the quotes some APIs put around them. */
    public static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** True if this event happened before a change with the given sequencer. */
    public boolean isOlderThan(String otherSequencer) {
        return sequencer.map(own -> SEQUENCER_ORDER.compare(own, otherSequencer) < 0).orElse(false);
    }
}
