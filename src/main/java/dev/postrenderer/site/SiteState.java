package dev.postrenderer.site;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The root of the site's state ({@code _site/state.json}), the one object every batch replaces
 * with a single conditional write: the front page's introduction, the layouts in use, one
 * {@link ListingMeta} per listing, the posts of the feed ({@link FeedRef}, newest first), recent
 * {@link Fence}s, and where the rest of the state is stored ({@link Storage}). Everything else (the posts of each page, the listings' directories)
 * is reached through opaque refs. Immutable.
 *
 * @param version  incremented by every commit
 * @param layouts  a fingerprint of the custom layouts in the source, empty for the bundled ones
 * @param listings by id: {@value #FRONT} for the front listing, {@code tags/<slug>} for a tag's
 * @param months   how many of the front listing's archive pages each month has (by the month in
 *                 their names), which names the sitemaps the sitemap index lists
 */
public record SiteState(long version, String layouts, Optional<FrontPage> frontPage,
                        SortedMap<String, ListingMeta> listings, List<FeedRef> feed, SortedMap<String, Integer> months,
                        List<Fence> fences, Storage storage) {

    /** The id of the front listing. */
    public static final String FRONT = "";
    /** How long a fence is kept: longer than any invocation runs between writing a page and committing. */
    public static final long FENCE_MILLIS = 30 * 60 * 1000L;

    /** A site with nothing published yet. */
    public static final SiteState EMPTY = new SiteState(0, "", Optional.empty(), new TreeMap<>(), List.of(),
            new TreeMap<>(), List.of(), Storage.EMPTY);

    public SiteState {
        Objects.requireNonNull(layouts, "layouts == null");
        Objects.requireNonNull(frontPage, "frontPage == null");
        listings = Collections.unmodifiableSortedMap(new TreeMap<>(listings));
        feed = List.copyOf(feed);
        months = Collections.unmodifiableSortedMap(new TreeMap<>(months));
        fences = List.copyOf(fences);
        Objects.requireNonNull(storage, "storage == null");
    }

    /** The id of a tag's listing. */
    public static String tagListing(String slug) {
        return "tags/" + slug;
    }

    /** A listing's record; empty if it has no posts. */
    public Optional<ListingMeta> listing(String id) {
        return Optional.ofNullable(listings.get(id));
    }

    /** The newest fence for a key, if any. */
    public Optional<Fence> fence(String key) {
        Fence found = null;
        for (Fence fence : fences) {
            if (fence.key().equals(key)) {
                found = fence;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Builds a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Where the state's parts are kept: immutable pack objects, each with how many refs still
     * point into it, packs no ref points to any more (deleted once older than a grace period),
     * and parts small and recent enough to live in the root itself.
     *
     * @param inline part bodies by inline id ({@code i12} refers to id 12)
     * @param nextId the next free inline id
     */
    public record Storage(List<Pack> packs, List<Garbage> garbage, Map<Integer, byte[]> inline, int nextId) {

        public static final Storage EMPTY = new Storage(List.of(), List.of(), new TreeMap<>(), 0);

        public Storage {
            packs = List.copyOf(packs);
            garbage = List.copyOf(garbage);
            inline = Collections.unmodifiableSortedMap(new TreeMap<>(inline));
        }
    }

    /** A pack object and how many refs point into it. */
    public record Pack(String key, int live) {
        public Pack {
            Objects.requireNonNull(key, "key == null");
        }
    }

    /** A pack nothing refers to any more, since {@code since} (epoch milliseconds). */
    public record Garbage(String key, long since) {
        public Garbage {
            Objects.requireNonNull(key, "key == null");
        }
    }

    /** A changed copy of a state, field by field. */
    public static final class Builder {
        private long version;
        private String layouts;
        private Optional<FrontPage> frontPage;
        private final SortedMap<String, ListingMeta> listings;
        private List<FeedRef> feed;
        private SortedMap<String, Integer> months;
        private List<Fence> fences;
        private Storage storage;

        private Builder(SiteState state) {
            this.version = state.version;
            this.layouts = state.layouts;
            this.frontPage = state.frontPage;
            this.listings = new TreeMap<>(state.listings);
            this.feed = state.feed;
            this.months = state.months;
            this.fences = state.fences;
            this.storage = state.storage;
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        public Builder layouts(String value) {
            this.layouts = value;
            return this;
        }

        public Builder frontPage(Optional<FrontPage> value) {
            this.frontPage = value;
            return this;
        }

        /** Sets a listing's record, or removes it when empty. */
        public Builder listing(String id, Optional<ListingMeta> meta) {
            if (meta.isPresent()) {
                listings.put(id, meta.get());
            } else {
                listings.remove(id);
            }
            return this;
        }

        public Builder feed(List<FeedRef> value) {
            this.feed = List.copyOf(value);
            return this;
        }

        public Builder months(SortedMap<String, Integer> value) {
            this.months = value;
            return this;
        }

        public Builder fences(List<Fence> value) {
            this.fences = List.copyOf(value);
            return this;
        }

        public Builder storage(Storage value) {
            this.storage = value;
            return this;
        }

        public SiteState build() {
            return new SiteState(version, layouts, frontPage, listings, feed, months, fences, storage);
        }
    }
}
