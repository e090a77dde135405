package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.PageRenderer;
import dev.postrenderer.render.RenderedPage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what happens to a source key, per the table in DESIGN.md: render a post, copy an asset,
 * ignore configuration, unpublish a draft, delete what a deleted source published.
 *
 * <p>Events may arrive twice, late, out of order or concurrently, so every decision is made
 * from the current state of both buckets, never from the event alone:
 * <ul>
 *   <li>the site object records the source ETag, the event sequencer and the renderer version
 *       it was made from (user metadata); an event older than the recorded one writes nothing,
 *       and a source version already published by this renderer is not written again;</li>
 *   <li>pages are written with a precondition on the page read ({@code If-Match} /
 *       {@code If-None-Match: *}), so two invocations cannot interleave a stale write;</li>
 *   <li>after acting, the source is looked at again: if it changed meanwhile, the work is done
 *       again for the new state, so a delete or draft flip racing a render still wins.</li>
 * </ul>
 * Thread-safe if its stores are: it holds no mutable state.
 */
public final class Publisher {

    /** User metadata names on site objects. */
    public static final String META_SOURCE_KEY = "source-key";
    public static final String META_SOURCE_ETAG = "source-etag";
    public static final String META_SEQUENCER = "sequencer";
    public static final String META_RENDERER = "renderer";

    private static final int MAX_ROUNDS = 5;

    private final ObjectStore source;
    private final ObjectStore site;
    private final PageRenderer renderer;
    private final PostParser parser;
    private final String cacheControl;

    public Publisher(ObjectStore source, ObjectStore site, PageRenderer renderer, SiteConfig config) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.renderer = Objects.requireNonNull(renderer, "renderer == null");
        this.parser = new PostParser(config.maxPostBytes());
        this.cacheControl = config.cacheControl();
    }

    /** Publishes what was created or updated at {@code key}, known by its key alone. */
    public PublishResult created(String key) {
        return created(SourceEvent.of(key));
    }

    /**
     * Publishes what a creation event is about.
     *
     * @throws InvalidPostException if the key or the post can never be published as it is
     * @throws StoreException       if storage failed in a way worth retrying
     */
    public PublishResult created(SourceEvent event) {
        SourceKey sourceKey = SourceKey.of(event.key());
        if (sourceKey.kind() == SourceKey.Kind.IGNORED || sourceKey.kind() == SourceKey.Kind.FRONT_PAGE) {
            return result(event, Action.IGNORED, Optional.empty());
        }
        if (sourceKey.kind() == SourceKey.Kind.POST && event.size().isPresent()
                && event.size().getAsLong() > parser.maxBytes()) {
            throw new InvalidPostException(sourceKey.key(), "the post is " + event.size().getAsLong()
                    + " bytes, more than the limit of " + parser.maxBytes() + " (MAX_POST_BYTES)");
        }
        String siteKey = sourceKey.siteKey().orElseThrow();
        for (int round = 1; ; round++) {
            Optional<ObjectInfo> published = site.head(siteKey);
            if (published.map(info -> info.metadata().get(META_SEQUENCER)).filter(event::isOlderThan).isPresent()) {
                return result(event, Action.STALE, Optional.of(siteKey));
            }
            Outcome outcome = sourceKey.kind() == SourceKey.Kind.POST
                    ? publishPost(sourceKey, event, published, round == 1)
                    : publishAsset(sourceKey, event, published, round == 1);
            if (outcome.raced()) {
                if (round == MAX_ROUNDS) {
                    throw new StoreException(siteKey, "lost " + MAX_ROUNDS + " conditional writes in a row", null);
                }
                continue; // another invocation wrote the page first: decide again from what it wrote
            }
            Optional<String> now = source.head(sourceKey.key()).flatMap(ObjectInfo::etag);
            if (now.equals(outcome.sourceEtag()) || round == MAX_ROUNDS || !outcome.action().wroteSite()) {
                return result(event, outcome.action(), Optional.of(siteKey));
            }
            // the source changed while we worked on it: act again on what it is now
        }
    }

    /**
     * Unpublishes what was at {@code key}, unless the source is back.
     *
     * @throws InvalidPostException if the key can never be published
     * @throws StoreException       if storage failed in a way worth retrying
     */
    public PublishResult removed(SourceEvent event) {
        SourceKey sourceKey = SourceKey.of(event.key());
        if (sourceKey.kind() == SourceKey.Kind.IGNORED || sourceKey.kind() == SourceKey.Kind.FRONT_PAGE) {
            return result(event, Action.IGNORED, Optional.empty());
        }
        String siteKey = sourceKey.siteKey().orElseThrow();
        if (source.head(sourceKey.key()).isPresent()) {
            // re-uploaded after the delete: the creation's event owns the page
            return result(event, Action.KEPT, Optional.of(siteKey));
        }
        site.delete(siteKey);
        return result(event, Action.DELETED, Optional.of(siteKey));
    }

    private Outcome publishPost(SourceKey sourceKey, SourceEvent event, Optional<ObjectInfo> published,
                                boolean firstRound) {
        String siteKey = sourceKey.siteKey().orElseThrow();
        Optional<StoredObject> object = source.get(sourceKey.key(), parser.maxBytes());
        if (object.isEmpty()) {
            published.ifPresent(page -> site.delete(siteKey));
            return new Outcome(Action.SOURCE_MISSING, Optional.empty(), false);
        }
        Optional<String> etag = object.get().info().etag();
        if (firstRound && superseded(event, etag)) {
            return new Outcome(Action.SUPERSEDED, etag, false);
        }
        if (alreadyPublished(published, etag)) {
            return new Outcome(Action.UNCHANGED, etag, false);
        }
        Post post = parser.parse(sourceKey, object.get().content());
        if (post.frontMatter().draft()) {
            published.ifPresent(page -> site.delete(siteKey));
            return new Outcome(Action.DRAFT, etag, false);
        }
        RenderedPage page = renderer.render(post);
        boolean written = site.put(siteKey, page.html().getBytes(StandardCharsets.UTF_8),
                options(ContentTypes.HTML, sourceKey, etag, event), Precondition.unchangedFrom(published));
        return new Outcome(Action.RENDERED, etag, !written);
    }

    private Outcome publishAsset(SourceKey sourceKey, SourceEvent event, Optional<ObjectInfo> published,
                                 boolean firstRound) {
        String key = sourceKey.key();
        Optional<ObjectInfo> object = source.head(key);
        if (object.isEmpty()) {
            published.ifPresent(asset -> site.delete(key));
            return new Outcome(Action.SOURCE_MISSING, Optional.empty(), false);
        }
        Optional<String> etag = object.get().etag();
        if (firstRound && superseded(event, etag)) {
            return new Outcome(Action.SUPERSEDED, etag, false);
        }
        if (alreadyPublished(published, etag)) {
            return new Outcome(Action.UNCHANGED, etag, false);
        }
        boolean copied = source.copyTo(key, site, options(ContentTypes.of(key), sourceKey, etag, event));
        return new Outcome(copied ? Action.COPIED : Action.SOURCE_MISSING, copied ? etag : Optional.empty(), false);
    }

    /** The event names a version the source no longer has: the newer version's event will publish that one. */
    private static boolean superseded(SourceEvent event, Optional<String> currentEtag) {
        return event.etag().isPresent() && currentEtag.isPresent() && !event.etag().equals(currentEtag);
    }

    private boolean alreadyPublished(Optional<ObjectInfo> published, Optional<String> sourceEtag) {
        return sourceEtag.isPresent() && published
                .filter(info -> sourceEtag.get().equals(info.metadata().get(META_SOURCE_ETAG)))
                .filter(info -> renderer.version().equals(info.metadata().get(META_RENDERER)))
                .isPresent();
    }

    private PutOptions options(String contentType, SourceKey sourceKey, Optional<String> sourceEtag,
                               SourceEvent event) {
        Map<String, String> metadata = new HashMap<>();
        // user metadata travels as HTTP headers: keep it ASCII
        metadata.put(META_SOURCE_KEY, URLEncoder.encode(sourceKey.key(), StandardCharsets.UTF_8));
        sourceEtag.ifPresent(etag -> metadata.put(META_SOURCE_ETAG, etag));
        event.sequencer().ifPresent(sequencer -> metadata.put(META_SEQUENCER, sequencer));
        metadata.put(META_RENDERER, renderer.version());
        return new PutOptions(contentType, Optional.of(cacheControl), metadata);
    }

    private static PublishResult result(SourceEvent event, Action action, Optional<String> siteKey) {
        return new PublishResult(event.key(), action, siteKey);
    }

    /**
     * One round's work.
     *
     * @param sourceEtag the source version acted on (empty: the source was missing)
     * @param raced      a conditional write lost to another writer; decide again
     */
    private record Outcome(Action action, Optional<String> sourceEtag, boolean raced) {
    }
}
