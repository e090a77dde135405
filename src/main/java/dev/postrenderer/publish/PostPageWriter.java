package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PostOutcome.FeedBody;
import dev.postrenderer.publish.PostOutcome.Listed;
import dev.postrenderer.publish.PostOutcome.Previous;
import dev.postrenderer.publish.PostOutcome.Untouched;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.site.Position;
import dev.postrenderer.site.PostEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a post's page: {@code If-Match} the page the state records for it, {@code If-None-Match: *}
 * for a post the front page does not know (so a new post needs no lookup). The page is the per-key
 * serialisation point: on a conflict, what is there says whose page it is and which version, and an
 * older change never replaces a newer page. Thread-safe if its stores are.
 */
final class PostPageWriter {

    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore source;
    private final ObjectStore site;
    private final String cacheControl;

    PostPageWriter(ObjectStore source, ObjectStore site, String cacheControl) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.cacheControl = Objects.requireNonNull(cacheControl, "cacheControl == null");
    }

    /**
     * A rendered page to write, and what the post stage knows of the post.
     *
     * @param images a digest of what was known of the site's images it shows ({@link SiteImages.Seen})
     */
    record Page(SourceChange change, SourceKey key, byte[] html, PostEntry entry, Optional<FeedBody> body,
                Optional<PostEntry> known, Optional<String> images) {
    }

    /**
     * Writes the page, taking it over from another key of lower precedence.
     *
     * @param removed   the keys the batch removes (their pages are free to take)
     * @param displaced keys of the batch whose page this one takes over
     * @throws InvalidPostException if a key that takes precedence owns the page
     */
    PostOutcome write(Page page, Set<String> removed, Set<String> displaced, Outcomes outcomes) {
        SourceKey key = page.key();
        String siteKey = key.siteKey().orElseThrow();
        Map<String, Optional<Position>> taken = new LinkedHashMap<>();
        displaced.forEach(other -> taken.put(other, Optional.empty()));
        Precondition expected = page.known().map(e -> Precondition.matching(e.pageEtag())).orElse(Precondition.ABSENT);
        PutOptions options = options(page);
        boolean fence = false;
        Optional<Position> listedAt = Optional.empty();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<String> written = site.put(siteKey, page.html(), options, expected);
            if (written.isPresent()) {
                return listed(page, page.entry().toBuilder().pageEtag(written.get()).build(), listedAt, taken, fence,
                        written);
            }
            Optional<ObjectInfo> current = site.head(siteKey);
            if (current.isEmpty()) {
                expected = Precondition.ABSENT;
                continue;
            }
            String owner = PageMetadata.owner(current.get(), page.change().key());
            if (!owner.equals(page.change().key())) {
                takeOver(page, owner, removed, outcomes);
                taken.put(owner, Optional.of(PageMetadata.position(current.get(), key.pagePath())));
                fence = true;
                expected = Precondition.unchangedFrom(current);
                continue;
            }
            if (page.change().isOlderThan(PageMetadata.sequencer(current.get()))) {
                return new Untouched(page.change(), key, Action.STALE, Optional.empty());
            }
            if (page.known().isEmpty()) {
                listedAt = Optional.of(PageMetadata.position(current.get(), key.pagePath()));
            }
            Map<String, String> metadata = current.get().metadata();
            boolean sameVersion = metadata.containsKey(PageMetadata.SOURCE_ETAG)
                    && page.entry().sourceEtag().filter(metadata.get(PageMetadata.SOURCE_ETAG)::equals).isPresent()
                    && page.entry().renderer().equals(metadata.get(PageMetadata.RENDERER))
                    && page.images().equals(Optional.ofNullable(metadata.get(PageMetadata.IMAGES)));
            if (sameVersion) {
                // an earlier attempt wrote this very page and may not have committed
                PostEntry entry = page.entry().toBuilder().pageEtag(current.get().etag().orElse("")).build();
                return listed(page, entry, listedAt, taken, fence, Optional.empty());
            }
            // an older version, or a page without metadata (a folder keeps none): replaced, and fenced
            fence = true;
            expected = Precondition.unchangedFrom(current);
            if (attempt > 1) {
                Backoff.pause(attempt, siteKey);
            }
        }
        throw new StoreException(siteKey, "kept losing conditional writes of the page", null);
    }

    /** Takes a page over from the key that owns it, unless that key stays and takes precedence. */
    private void takeOver(Page page, String owner, Set<String> removed, Outcomes outcomes) {
        String siteKey = page.key().siteKey().orElseThrow();
        boolean ownerStays = !removed.contains(owner) && source.head(owner).isPresent();
        boolean ownerWins = SourceKey.ifValid(owner).map(other -> other.precedence(page.key()) < 0).orElse(true);
        if (ownerStays && ownerWins) {
            throw new InvalidPostException(page.change().key(), SourceRivals.lost(siteKey, owner, page.change().key()));
        }
        if (ownerStays) {
            // the owner's listing goes, and its author hears why
            outcomes.rejectedUnlessDone(owner, SourceRivals.lost(siteKey, page.change().key(), owner));
        }
    }

    private static Listed listed(Page page, PostEntry entry, Optional<Position> listedAt,
                                 Map<String, Optional<Position>> taken, boolean fence, Optional<String> written) {
        Previous previous = new Previous(page.known(), page.known().isPresent() ? Optional.empty() : listedAt);
        return new Listed(page.change(), page.key(), entry, page.body(), previous, taken, fence, written);
    }

    private PutOptions options(Page page) {
        PostEntry entry = page.entry();
        Map<String, String> metadata = PageMetadata.of(page.change().key(), entry.sourceEtag(), entry.sequencer());
        metadata.put(PageMetadata.RENDERER, entry.renderer());
        page.images().ifPresent(digest -> metadata.put(PageMetadata.IMAGES, digest));
        entry.date().ifPresent(date -> metadata.put(PageMetadata.DATE, date.iso()));
        return new PutOptions(ContentTypes.HTML, Optional.of(cacheControl), metadata);
    }
}
