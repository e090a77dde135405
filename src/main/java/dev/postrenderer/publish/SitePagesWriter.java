package dev.postrenderer.publish;

import dev.postrenderer.site.SiteIndex;
import dev.postrenderer.site.SiteManifest;
import dev.postrenderer.site.SitePage;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the pages derived from the manifest (front page, tag pages, feed, sitemap, 404,
 * robots.txt) after a manifest change, and only those whose bytes change.
 *
 * <p>A page derived from an older manifest never overwrites one derived from a newer one: each
 * page is written with {@code If-Match} the ETag it has under the manifest it was derived from
 * (S3's ETag of a single-part upload is the MD5 of its bytes, which is known without reading
 * it), and carries the manifest version in its metadata. When the condition fails, the page is
 * looked at: a newer manifest's writer has it in hand, anything older is replaced.
 */
public final class SitePagesWriter {

    /** User metadata: the manifest version a site page was derived from. */
    public static final String META_MANIFEST_VERSION = "manifest-version";

    private static final int MAX_ATTEMPTS = 12;

    private final ObjectStore site;
    private final String cacheControl;

    public SitePagesWriter(ObjectStore site, String cacheControl) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.cacheControl = Objects.requireNonNull(cacheControl, "cacheControl == null");
    }

    /**
     * Brings the derived pages from {@code before} to {@code after}.
     *
     * @param tagSlugs the tags whose pages may have changed
     * @return how many objects were written or deleted
     */
    public int update(SiteIndex index, SiteManifest before, SiteManifest after, Collection<String> tagSlugs) {
        // before the first manifest there are no derived pages at all, whatever an empty manifest would give
        Map<String, SitePage> old = before.version() == 0 ? Map.of() : index.pages(before, tagSlugs);
        Map<String, SitePage> now = index.pages(after, tagSlugs);
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(old.keySet());
        int writes = 0;
        for (String key : keys) {
            Optional<SitePage> was = Optional.ofNullable(old.get(key));
            Optional<SitePage> next = Optional.ofNullable(now.get(key));
            if (was.equals(next)) {
                continue;
            }
            writes++;
            if (next.isPresent()) {
                write(next.get(), was, after.version());
            } else {
                remove(key, after.version());
            }
        }
        return writes;
    }

    /**
     * Makes the derived pages a key touches match a manifest, looking at each first: after a
     * retry, an earlier attempt may have committed the manifest and died before writing them.
     *
     * @return how many objects were written or deleted
     */
    public int repair(SiteIndex index, SiteManifest manifest, Collection<String> tagSlugs) {
        Map<String, SitePage> expected = index.pages(manifest, tagSlugs);
        Set<String> keys = new LinkedHashSet<>();
        for (String key : expected.keySet()) {
            if (!key.equals("robots.txt") && !key.equals("favicon.svg")) {
                keys.add(key);
            }
        }
        tagSlugs.forEach(slug -> keys.add("tags/" + slug + "/index.html"));
        int writes = 0;
        for (String key : keys) {
            Optional<ObjectInfo> current = site.head(key);
            SitePage page = expected.get(key);
            if (page == null) {
                if (current.isPresent() && !newer(current.get(), manifest.version())) {
                    site.delete(key);
                    writes++;
                }
            } else if (current.flatMap(ObjectInfo::etag).filter(ETags.of(page.content())::equals).isEmpty()) {
                if (current.isEmpty() || !newer(current.get(), manifest.version())) {
                    writeExpecting(page, current.flatMap(ObjectInfo::etag), manifest.version());
                    writes++;
                }
            }
        }
        return writes;
    }

    /** Writes every derived page of a manifest whatever is there: after a layout change, or for a full rebuild. */
    public int rewriteAll(SiteIndex index, SiteManifest before, SiteManifest after) {
        Map<String, SitePage> old = before.version() == 0 ? Map.of() : index.pages(before);
        Map<String, SitePage> now = index.pages(after);
        now.values().forEach(page -> site.put(page.key(), page.content(), options(page, after.version())));
        old.keySet().stream().filter(key -> !now.containsKey(key)).forEach(site::delete);
        return now.size();
    }

    private void write(SitePage page, Optional<SitePage> was, long version) {
        writeExpecting(page, was.map(old -> ETags.of(old.content())), version);
    }

    private void writeExpecting(SitePage page, Optional<String> expectedEtag, long version) {
        Precondition expected = expectedEtag.map(Precondition::matching).orElse(Precondition.ABSENT);
        if (site.put(page.key(), page.content(), options(page, version), expected)) {
            return;
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<ObjectInfo> current = site.head(page.key());
            if (current.isPresent() && newer(current.get(), version)) {
                return;
            }
            if (site.put(page.key(), page.content(), options(page, version), Precondition.unchangedFrom(current))) {
                return;
            }
            Backoff.pause(attempt, page.key());
        }
        throw new StoreException(page.key(), "kept losing conditional writes of a site page", null);
    }

    private void remove(String key, long version) {
        Optional<ObjectInfo> current = site.head(key);
        if (current.isPresent() && !newer(current.get(), version)) {
            site.delete(key);
        }
    }

    private static boolean newer(ObjectInfo page, long version) {
        String written = page.metadata().get(META_MANIFEST_VERSION);
        try {
            return written != null && Long.parseLong(written) > version;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private PutOptions options(SitePage page, long version) {
        return new PutOptions(page.contentType(), Optional.of(cacheControl),
                Map.of(META_MANIFEST_VERSION, Long.toString(version)));
    }
}
