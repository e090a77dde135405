package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.ActiveContent;
import dev.postrenderer.render.ImageLookup;
import dev.postrenderer.render.RawHtmlPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The assets stage: copies each created asset to the site byte for byte (server-side where the
 * stores allow), or deletes the copy of a removed one, never over a post's page and never an older
 * version over a newer one. Under {@code RAW_HTML=sanitize} or {@code escape}, files the browser
 * would run as pages or scripts are refused. Images are then measured and given variants
 * ({@link ImageAssets}). Thread-safe if its stores are.
 */
final class AssetCopier {

    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore source;
    private final ObjectStore site;
    private final SourceRivals rivals;
    private final SiteConfig config;
    private final ImageAssets images;

    AssetCopier(ObjectStore source, ObjectStore site, SourceRivals rivals, SiteConfig config) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.rivals = Objects.requireNonNull(rivals, "rivals == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.images = new ImageAssets(source, site);
    }

    /**
     * Copies or deletes each asset, in parallel, recording what became of each.
     *
     * @return for each image published or removed, what the posts that show it need done
     */
    Map<String, ImageAssets.Update> apply(List<SourceChange> assets, Outcomes outcomes) {
        Map<String, ImageAssets.Update> updates = new ConcurrentHashMap<>();
        Parallel.map(assets, change -> {
            outcomes.guard(change.key(), () -> {
                outcomes.checkTime(change.key());
                Action action = change.removed() ? remove(change.key()) : copy(change);
                if (ImageLookup.isRasterImage(change.key())) {
                    image(change.key(), action, outcomes).ifPresent(update -> updates.put(change.key(), update));
                }
                outcomes.done(change.key(), action, Optional.of(change.key()));
            });
            return null;
        });
        return Map.copyOf(updates);
    }

    private Optional<ImageAssets.Update> image(String key, Action action, Outcomes outcomes) {
        return switch (action) {
            case COPIED, UNCHANGED -> Optional.of(images.published(key, outcomes));
            case DELETED, SOURCE_MISSING -> Optional.of(images.removed(key));
            default -> Optional.empty();
        };
    }

    private Action remove(String key) {
        if (source.head(key).isPresent()) {
            return Action.KEPT; // uploaded again since: the creation's own event copies it
        }
        Optional<ObjectInfo> published = site.head(key);
        if (published.isPresent() && !PageMetadata.ownedBy(published.get(), key)) {
            return Action.IGNORED; // a post's page: not this file's to remove
        }
        published.ifPresent(object -> deleteUnchanged(key, object));
        return Action.DELETED;
    }

    private Action copy(SourceChange change) {
        String key = change.key();
        RawHtmlPolicy policy = config.render().rawHtml();
        Optional<String> active = ActiveContent.byName(key, policy);
        if (active.isPresent()) {
            throw new InvalidPostException(key, active.get());
        }
        SourceKey sourceKey = SourceKey.of(key);
        List<SourceKey> posts = rivals.postsOver(sourceKey);
        if (!posts.isEmpty()) {
            throw new InvalidPostException(key, SourceRivals.lost(sourceKey, posts.get(0)));
        }
        // a file that could be a post's page, or whose content decides: read, checked and written conditionally
        boolean conditional = !sourceKey.rivalPrefixes().isEmpty() || ActiveContent.needsCheck(key, policy);
        for (int round = 1; round <= MAX_ATTEMPTS; round++) {
            Optional<Action> done = attempt(change, round, conditional, policy);
            if (done.isPresent()) {
                return done.get();
            }
            Backoff.pause(round, key);
        }
        throw new StoreException(key, "the asset kept changing while it was copied", null);
    }

    /** One attempt at copying; empty if what was copied is no longer the source's version. */
    private Optional<Action> attempt(SourceChange change, int round, boolean conditional, RawHtmlPolicy policy) {
        String key = change.key();
        Optional<ObjectInfo> published = site.head(key);
        if (published.isPresent() && !PageMetadata.ownedBy(published.get(), key)) {
            String owner = PageMetadata.owner(published.get(), key);
            throw new InvalidPostException(key, SourceRivals.lost(key, owner, key));
        }
        if (change.isOlderThan(published.flatMap(PageMetadata::sequencer))) {
            return Optional.of(Action.STALE);
        }
        Optional<ObjectInfo> object = source.head(key);
        if (object.isEmpty()) {
            published.ifPresent(asset -> deleteUnchanged(key, asset));
            return Optional.of(Action.SOURCE_MISSING);
        }
        Optional<String> etag = object.get().etag();
        if (round == 1 && change.etag().isPresent() && etag.isPresent() && !change.etag().equals(etag)) {
            return Optional.of(Action.SUPERSEDED);
        }
        if (etag.isPresent() && published.map(info -> info.metadata().get(PageMetadata.SOURCE_ETAG))
                .filter(etag.get()::equals).isPresent()) {
            return Optional.of(Action.UNCHANGED);
        }
        boolean copied = conditional ? copyChecked(key, published, change, policy) : copyServerSide(key, etag, change);
        return copied ? Optional.of(Action.COPIED) : Optional.empty();
    }

    /** Copies an asset server-side; true if what was copied is still the source's version. */
    private boolean copyServerSide(String key, Optional<String> etag, SourceChange change) {
        if (!source.copyTo(key, site, options(key, etag, change))) {
            return false;
        }
        // a delete or a new version racing the copy: copy or remove again from what is there now
        return source.head(key).flatMap(ObjectInfo::etag).equals(etag);
    }

    /**
     * Reads an asset, checks its content for script, and writes it only over what was there when
     * looked at (a post's page written meanwhile is never replaced); true if written.
     */
    private boolean copyChecked(String key, Optional<ObjectInfo> published, SourceChange change, RawHtmlPolicy policy) {
        Optional<StoredObject> object = source.get(key, ActiveContent.MAX_CHECKED_BYTES);
        if (object.isEmpty()) {
            return false;
        }
        byte[] content = object.get().content();
        if (ActiveContent.needsCheck(key, policy)) {
            Optional<String> problem = ActiveContent.inContent(key, content, policy);
            if (problem.isPresent()) {
                throw new InvalidPostException(key, problem.get());
            }
        }
        return site.put(key, content, options(key, object.get().info().etag(), change),
                Precondition.unchangedFrom(published)).isPresent();
    }

    private PutOptions options(String key, Optional<String> etag, SourceChange change) {
        Map<String, String> metadata = PageMetadata.of(key, etag, change.sequencer());
        return new PutOptions(ContentTypes.of(key), Optional.of(config.assetCacheControl()), metadata);
    }

    private void deleteUnchanged(String key, ObjectInfo published) {
        if (published.etag().isPresent()) {
            site.delete(key, published.etag().get());
        } else {
            site.delete(key);
        }
    }
}
