package dev.postrenderer.publish;

import dev.postrenderer.site.SitePage;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes and deletes the pages derived from one state of the site (front page, archive and tag
 * pages, feed, sitemaps …), so that a page derived from an older state never replaces one derived
 * from a newer state: the one writer of every page around the posts.
 *
 * <p>Each page is written {@code If-Match} the entity tag it had under the previous state, or
 * {@code If-None-Match: *} if it did not exist, and carries the state version in its metadata.
 * Where the bucket's entity tags are the MD5 of the bytes (S3-managed encryption, S3's default),
 * that entity tag is known from the page's bytes under the previous state, without a request;
 * elsewhere (SSE-KMS) the page is looked at first. When the condition fails, the page is looked
 * at: a newer state's writer has it in hand, a page that already holds these bytes is left, and
 * anything older is replaced. The number of attempts is bounded, each after a backoff. Thread-safe.
 */
public final class SitePagesWriter {

    /** User metadata: the state version a page was derived from. */
    public static final String META_STATE_VERSION = "state-version";

    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore site;
    private final String cacheControl;
    private final long version;
    private final boolean md5Etags;

    /**
     * @param version  the state version the pages are derived from
     * @param md5Etags true if the bucket's entity tags are known to be MD5s of the bytes
     */
    public SitePagesWriter(ObjectStore site, String cacheControl, long version, boolean md5Etags) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.cacheControl = Objects.requireNonNull(cacheControl, "cacheControl == null");
        this.version = version;
        this.md5Etags = md5Etags;
    }

    /**
     * Applies one planned change of a page: writes it, or deletes it when the state no longer has it.
     *
     * @param whole a rebuild, which owns every page it writes: each is written whatever is there,
     *              unless it holds these bytes already
     */
    void apply(PageWrite write, boolean whole) {
        if (write.after().isPresent()) {
            SitePage page = write.after().get();
            if (!whole) {
                write(page, write.before());
            } else if (site.head(page.key()).filter(info -> info.holds(page.content())).isEmpty()) {
                overwrite(page);
            }
        } else if (write.before().isPresent()) {
            delete(write.key(), write.before().get());
        }
    }

    /**
     * Writes a page over what was read of it ({@code If-Match} its entity tag, {@code If-None-Match: *}
     * if there was none); for a page whose next bytes depend on its last, such as the feed.
     *
     * @return false if another writer changed it since it was read; nothing was written
     */
    boolean writeOver(SitePage page, Optional<ObjectInfo> read) {
        return site.put(page.key(), page.content(), options(page), Precondition.unchangedFrom(read)).isPresent();
    }

    /**
     * Writes a page.
     *
     * @param before the page's bytes under the previous state, if it existed
     * @return true if it was written, false if it held these bytes already or a newer state's page is there
     */
    public boolean write(SitePage page, Optional<byte[]> before) {
        if (before.isPresent() && Arrays.equals(before.get(), page.content())) {
            return false;
        }
        Precondition expected;
        if (before.isEmpty()) {
            expected = Precondition.ABSENT;
        } else if (md5Etags) {
            expected = Precondition.matching(ETags.of(before.get()));
        } else {
            Optional<ObjectInfo> current = site.head(page.key());
            if (current.isPresent() && (newer(current.get()) || current.get().holds(page.content()))) {
                return false;
            }
            expected = Precondition.unchangedFrom(current);
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (site.put(page.key(), page.content(), options(page), expected).isPresent()) {
                return true;
            }
            Optional<ObjectInfo> current = site.head(page.key());
            if (current.isPresent() && (newer(current.get()) || current.get().holds(page.content()))) {
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
    public void overwrite(SitePage page) {
        site.put(page.key(), page.content(), options(page));
    }

    /**
     * Deletes a page that this state no longer has.
     *
     * @param before its bytes under the previous state
     */
    public void delete(String key, byte[] before) {
        Optional<String> etag = md5Etags ? Optional.of(ETags.of(before)) : site.head(key).flatMap(ObjectInfo::etag);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && etag.isPresent(); attempt++) {
            if (site.delete(key, etag.get())) {
                return;
            }
            Optional<ObjectInfo> current = site.head(key);
            if (current.isEmpty() || newer(current.get())) {
                return;
            }
            etag = current.get().etag();
            Backoff.pause(attempt, key);
        }
        if (etag.isPresent()) {
            throw new StoreException(key, "kept losing conditional deletes of a site page", null);
        }
    }

    /**
     * Makes a page what this state says, looking at it first: after a retry, an earlier attempt
     * may have committed the state and died before writing its pages.
     *
     * @return true if it had to be written
     */
    public boolean repair(SitePage page) {
        Optional<ObjectInfo> current = site.head(page.key());
        if (current.isPresent() && (current.get().holds(page.content()) || newer(current.get()))) {
            return false;
        }
        return site.put(page.key(), page.content(), options(page), Precondition.unchangedFrom(current)).isPresent();
    }

    /** True if a page was derived from a newer state than this writer's. */
    boolean newer(ObjectInfo page) {
        String written = page.metadata().get(META_STATE_VERSION);
        try {
            return written != null && Long.parseLong(written) > version;
        } catch (NumberFormatException e) {
            // not a version this writer wrote: an unknown page, replaced like any older one
            return false;
        }
    }

    private PutOptions options(SitePage page) {
        return new PutOptions(page.contentType(), Optional.of(cacheControl),
                Map.of(META_STATE_VERSION, Long.toString(version)));
    }
}
