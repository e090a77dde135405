package dev.postrenderer.publish;

import dev.postrenderer.site.SitePage;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes and deletes the pages derived from the site's state (front page, archive and tag pages,
 * feed, sitemaps …), so that a page derived from an older state never replaces one derived from a
 * newer state.
 *
 * <p>Each page is written {@code If-Match} the ETag it had under the state before the commit (S3's
 * ETag of a single-part upload is the MD5 of its bytes, known without reading it), or
 * {@code If-None-Match: *} if it did not exist, and carries the state version in its metadata.
 * When the condition fails, the page is looked at: a newer state's writer has it in hand; anything
 * older is replaced. The number of attempts is bounded, each after a backoff. Thread-safe.
 */
public final class SitePagesWriter {

    /** User metadata: the state version a page was derived from. */
    public static final String META_STATE_VERSION = "state-version";

    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore site;
    private final String cacheControl;

    public SitePagesWriter(ObjectStore site, String cacheControl) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.cacheControl = Objects.requireNonNull(cacheControl, "cacheControl == null");
    }

    /**
     * Writes a page derived from state {@code version}.
     *
     * @param before the page's bytes under the previous state, if it existed
     * @return true if it was written, false if it was equal already or a newer state's page is there
     */
    public boolean write(SitePage page, Optional<byte[]> before, long version) {
        if (before.isPresent() && java.util.Arrays.equals(before.get(), page.content())) {
            return false;
        }
        Precondition expected = before.map(bytes -> Precondition.matching(ETags.of(bytes))).orElse(Precondition.ABSENT);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (site.put(page.key(), page.content(), options(page, version), expected)) {
                return true;
            }
            Optional<ObjectInfo> current = site.head(page.key());
            if (current.isPresent() && newer(current.get(), version)) {
                return false;
            }
            if (current.flatMap(ObjectInfo::etag).filter(ETags.of(page.content())::equals).isPresent()) {
                return false;
            }
            expected = Precondition.unchangedFrom(current);
            if (attempt > 1) {
                Backoff.pause(attempt, page.key());
            }
        }
        throw new StoreException(page.key(), "kept losing conditional writes of a site page", null);
    }

    /** Writes a page whatever is there: for a full rebuild, which owns every page it writes. */
    public void overwrite(SitePage page, long version) {
        site.put(page.key(), page.content(), options(page, version));
    }

    /**
     * Deletes a page that state {@code version} no longer has.
     *
     * @param before its bytes under the previous state
     */
    public void delete(String key, byte[] before, long version) {
        String etag = ETags.of(before);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (site.delete(key, etag)) {
                return;
            }
            Optional<ObjectInfo> current = site.head(key);
            if (current.isEmpty() || newer(current.get(), version)) {
                return;
            }
            etag = current.get().etag().orElse(etag);
            Backoff.pause(attempt, key);
        }
        throw new StoreException(key, "kept losing conditional deletes of a site page", null);
    }

    /**
     * Makes a page what the current state says, looking at it first: after a retry, an earlier
     * attempt may have committed the state and died before writing its pages.
     *
     * @return true if it had to be written
     */
    public boolean repair(SitePage page, long version) {
        Optional<ObjectInfo> current = site.head(page.key());
        if (current.flatMap(ObjectInfo::etag).filter(ETags.of(page.content())::equals).isPresent()) {
            return false;
        }
        if (current.isPresent() && newer(current.get(), version)) {
            return false;
        }
        return site.put(page.key(), page.content(), options(page, version), Precondition.unchangedFrom(current));
    }

    private static boolean newer(ObjectInfo page, long version) {
        String written = page.metadata().get(META_STATE_VERSION);
        try {
            return written != null && Long.parseLong(written) > version;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private PutOptions options(SitePage page, long version) {
        return new PutOptions(page.contentType(), Optional.of(cacheControl),
                Map.of(META_STATE_VERSION, Long.toString(version)));
    }
}
