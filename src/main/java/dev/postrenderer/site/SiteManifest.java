package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The machine-readable state of the site ({@code _site/manifest.json}): one entry per post,
 * the front page's introduction, and the layouts in use. Every listing page is derived from it.
 * Immutable: changes return a new manifest.
 *
 * @param version  incremented by every change, so that a newer manifest can be told apart
 * @param layouts  a fingerprint of the custom layouts in the source, empty for the bundled ones
 * @param entries  by source key, tombstones included
 */
public record SiteManifest(long version, Optional<FrontPage> frontPage, String layouts,
                           Map<String, ManifestEntry> entries) {

    /** How many posts the feed carries, and so how many entries keep their content. */
    public static final int FEED_SIZE = 50;

    /** A site with nothing published yet. */
    public static final SiteManifest EMPTY = new SiteManifest(0, Optional.empty(), "", Map.of());

    /** Newest first; posts without a date after dated ones, then by title and key. */
    public static final Comparator<ManifestEntry> NEWEST_FIRST = Comparator
            .comparing((ManifestEntry entry) -> entry.date().isEmpty())
            .thenComparing(entry -> entry.date().orElse(null), Comparator.nullsLast(Comparator.<PostDate>reverseOrder()))
            .thenComparing(ManifestEntry::title)
            .thenComparing(ManifestEntry::sourceKey);

    public SiteManifest {
        Objects.requireNonNull(frontPage, "frontPage == null");
        Objects.requireNonNull(layouts, "layouts == null");
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** The entry for a source key, tombstone or not. */
    public Optional<ManifestEntry> entry(String sourceKey) {
        return Optional.ofNullable(entries.get(sourceKey));
    }

    /** Published posts, newest first. */
    public List<ManifestEntry> posts() {
        return entries.values().stream().filter(entry -> !entry.deleted()).sorted(NEWEST_FIRST).toList();
    }

    /** This manifest with an entry added or replaced; feed content is kept for the newest posts only. */
    public SiteManifest with(ManifestEntry entry) {
        Map<String, ManifestEntry> next = new TreeMap<>(entries);
        next.put(entry.sourceKey(), entry);
        return new SiteManifest(version, frontPage, layouts, trimContent(next));
    }

    /** This manifest with another front page. */
    public SiteManifest withFrontPage(Optional<FrontPage> page) {
        return new SiteManifest(version, page, layouts, entries);
    }

    /** This manifest with another layouts fingerprint. */
    public SiteManifest withLayouts(String fingerprint) {
        return new SiteManifest(version, frontPage, fingerprint, entries);
    }

    /** This manifest as the next version. */
    public SiteManifest nextVersion() {
        return new SiteManifest(version + 1, frontPage, layouts, entries);
    }

    /** Posts in the feed window that lack their content (a deletion brought them into it). */
    public List<ManifestEntry> feedEntriesWithoutContent() {
        return posts().stream().limit(FEED_SIZE).filter(entry -> entry.content().isEmpty()).toList();
    }

    /** Same content, whatever the version: what decides whether a write is needed. */
    public boolean sameContentAs(SiteManifest other) {
        return frontPage.equals(other.frontPage) && layouts.equals(other.layouts) && entries.equals(other.entries);
    }

    private static Map<String, ManifestEntry> trimContent(Map<String, ManifestEntry> entries) {
        List<String> window = entries.values().stream().filter(entry -> !entry.deleted()).sorted(NEWEST_FIRST)
                .limit(FEED_SIZE).map(ManifestEntry::sourceKey).toList();
        Map<String, ManifestEntry> trimmed = new TreeMap<>();
        entries.forEach((key, entry) -> trimmed.put(key, window.contains(key) ? entry : entry.withoutContent()));
        return trimmed;
    }
}
