package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.RenderedIntro;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.ManifestEntry;
import dev.postrenderer.site.SiteIndex;
import dev.postrenderer.site.SiteManifest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Decides what happens to a source key, per the table in DESIGN.md: render a post, copy an asset,
 * introduce the front page, unpublish a draft, delete what a deleted source published, and keep
 * the manifest and every page derived from it right.
 *
 * <p>Events may arrive twice, late, out of order or concurrently, so a post's state lives in the
 * manifest ({@code _site/manifest.json}): per key, the event sequencer, source ETag, renderer
 * version and page ETag it was last published from, and tombstones for deleted posts. Every
 * change to it is a conditional write ({@code If-Match} the ETag read) retried with jittered
 * backoff, so no update is ever lost:
 * <ul>
 *   <li>an event older than the one recorded writes nothing; a source already published by this
 *       renderer is not written again; an event about a version the source no longer has leaves
 *       the work to the newer version's event;</li>
 *   <li>the manifest is committed before the page is written, and the page is written with
 *       {@code If-Match} the ETag the manifest recorded for it, so a slower invocation for an
 *       older version can never overwrite a newer page;</li>
 *   <li>when another invocation changed the same key between our read and our commit, the work
 *       is done again from the current state of the source.</li>
 * </ul>
 * Thread-safe if its stores are.
 */
public final class Publisher {

    /** User metadata names on pages and assets. */
    public static final String META_SOURCE_KEY = "source-key";
    public static final String META_SOURCE_ETAG = "source-etag";
    public static final String META_SEQUENCER = "sequencer";
    public static final String META_RENDERER = "renderer";

    private static final int MAX_ROUNDS = 12;

    /** The largest site a layout change rebuilds within one invocation. */
    static final int REBUILD_LIMIT = 300;

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteRenderers renderers;
    private final ManifestStore manifests;
    private final SitePagesWriter sitePages;
    private final PostParser parser;
    private final SiteConfig config;

    public Publisher(ObjectStore source, ObjectStore site, SiteRenderers renderers, SiteConfig config) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.manifests = new ManifestStore(site);
        this.sitePages = new SitePagesWriter(site, config.cacheControl());
        this.parser = new PostParser(config.maxPostBytes());
    }

    /** A publisher whose renderers read custom layouts from {@code source}. */
    public Publisher(ObjectStore source, ObjectStore site, SiteConfig config) {
        this(source, site, new SiteRenderers(config.render(), source), config);
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
        return switch (sourceKey.kind()) {
            case IGNORED -> sourceKey.key().startsWith(SiteRenderers.PREFIX)
                    ? layoutsChanged(event) : result(event, Action.IGNORED, Optional.empty());
            case ASSET -> publishAsset(sourceKey, event);
            case FRONT_PAGE -> frontPage(sourceKey, event);
            case POST -> {
                if (event.size().isPresent() && event.size().getAsLong() > parser.maxBytes()) {
                    throw new InvalidPostException(sourceKey.key(), "the post is " + event.size().getAsLong()
                            + " bytes, more than the limit of " + parser.maxBytes() + " (MAX_POST_BYTES)");
                }
                yield reconcilePost(sourceKey, event, false);
            }
        };
    }

    /**
     * Unpublishes what was at {@code key}, unless the source is back.
     *
     * @throws InvalidPostException if the key can never be published
     * @throws StoreException       if storage failed in a way worth retrying
     */
    public PublishResult removed(SourceEvent event) {
        SourceKey sourceKey = SourceKey.of(event.key());
        return switch (sourceKey.kind()) {
            case IGNORED -> sourceKey.key().startsWith(SiteRenderers.PREFIX)
                    ? layoutsChanged(event) : result(event, Action.IGNORED, Optional.empty());
            case ASSET -> removeAsset(sourceKey, event);
            case FRONT_PAGE -> frontPage(sourceKey, event);
            case POST -> reconcilePost(sourceKey, event, true);
        };
    }

    // --- posts

    private PublishResult reconcilePost(SourceKey sourceKey, SourceEvent event, boolean removal) {
        String key = sourceKey.key();
        String siteKey = sourceKey.siteKey().orElseThrow();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            boolean first = round == 1;
            ManifestStore.Versioned read = manifests.read();
            Optional<ManifestEntry> entry = read.manifest().entry(key);
            if (first && entry.flatMap(ManifestEntry::sequencer).filter(event::isOlderThan).isPresent()) {
                return result(event, Action.STALE, Optional.of(siteKey));
            }
            Optional<StoredObject> object;
            if (first && removal) {
                if (source.head(key).isPresent()) {
                    // re-uploaded after the delete: the creation's event owns the page
                    return result(event, Action.KEPT, Optional.of(siteKey));
                }
                object = Optional.empty();
            } else {
                object = source.get(key, parser.maxBytes());
            }
            if (object.isEmpty()) {
                if (unpublish(read, sourceKey, event, entry)) {
                    return result(event, removal ? Action.DELETED : Action.SOURCE_MISSING, Optional.of(siteKey));
                }
                backOff(round);
                continue;
            }
            Optional<String> etag = object.get().info().etag();
            if (first && event.etag().isPresent() && etag.isPresent() && !event.etag().equals(etag)) {
                return result(event, Action.SUPERSEDED, Optional.of(siteKey));
            }
            SiteRenderers.Renderers current = renderers.forLayouts(read.manifest().layouts());
            boolean recorded = entry.filter(e -> !e.deleted() && e.sourceEtag().equals(etag)
                    && e.renderer().equals(current.pages().version())).isPresent();
            if (recorded && site.head(siteKey).isPresent()) {
                // a retry may follow an attempt that died after committing: the derived pages may lag
                sitePages.repair(current.site(), read.manifest(), tags(entry, Optional.empty()));
                return result(event, Action.UNCHANGED, Optional.of(siteKey));
            }
            Post post = parser.parse(sourceKey, object.get().content());
            if (post.frontMatter().draft()) {
                if (unpublish(read, sourceKey, event, entry)) {
                    return result(event, Action.DRAFT, Optional.of(siteKey));
                }
                backOff(round);
                continue;
            }
            RenderedPage page = current.pages().render(post);
            byte[] html = page.html().getBytes(StandardCharsets.UTF_8);
            ManifestEntry next = entry(sourceKey, page, etag, sequencer(event, entry), current.pages().version(),
                    ETags.of(html));
            Optional<Commit> commit = commit(read, key, manifest -> withFeedContent(manifest.with(next)));
            if (commit.isEmpty()) {
                backOff(round);
                continue;
            }
            writePage(siteKey, html, options(ContentTypes.HTML, sourceKey, etag, event, current.pages().version()),
                    entry.filter(e -> !e.deleted()).flatMap(ManifestEntry::pageEtag), event);
            refresh(commit.get(), tags(entry, Optional.of(next)));
            return result(event, Action.RENDERED, Optional.of(siteKey));
        }
        throw new StoreException(key, "the manifest kept changing under " + MAX_ROUNDS + " attempts", null);
    }

    /** Records a tombstone, then deletes the page; false if the manifest changed under us. */
    private boolean unpublish(ManifestStore.Versioned read, SourceKey sourceKey, SourceEvent event,
                              Optional<ManifestEntry> entry) {
        String siteKey = sourceKey.siteKey().orElseThrow();
        ManifestEntry tombstone = ManifestEntry.tombstone(sourceKey.key(), sourceKey.pagePath(),
                sequencer(event, entry));
        if (entry.filter(ManifestEntry::deleted).filter(e -> e.sequencer().equals(tombstone.sequencer())).isPresent()) {
            // already recorded by an attempt that may have died before finishing: finish its work
            site.delete(siteKey);
            sitePages.repair(renderers.forLayouts(read.manifest().layouts()).site(), read.manifest(), Set.of());
            return true;
        }
        Optional<Commit> commit = commit(read, sourceKey.key(), manifest -> withFeedContent(manifest.with(tombstone)));
        if (commit.isEmpty()) {
            return false;
        }
        site.delete(siteKey);
        refresh(commit.get(), tags(entry, Optional.empty()));
        return true;
    }

    /**
     * Writes a page after its entry was committed: {@code If-Match} the ETag the manifest had for
     * it. When that fails, a newer event's page stays; an older one is replaced.
     */
    private void writePage(String siteKey, byte[] html, PutOptions options, Optional<String> recordedEtag,
                           SourceEvent event) {
        Precondition expected = recordedEtag.map(Precondition::matching).orElse(Precondition.ABSENT);
        if (site.put(siteKey, html, options, expected)) {
            return;
        }
        for (int attempt = 1; attempt <= MAX_ROUNDS; attempt++) {
            Optional<ObjectInfo> current = site.head(siteKey);
            Optional<String> written = current.map(info -> info.metadata().get(META_SEQUENCER));
            if (written.filter(event::isOlderThan).isPresent()) {
                return; // a newer change wrote its page
            }
            if (site.put(siteKey, html, options, Precondition.unchangedFrom(current))) {
                return;
            }
            backOff(attempt);
        }
        throw new StoreException(siteKey, "kept losing conditional writes of the page", null);
    }

    private ManifestEntry entry(SourceKey sourceKey, RenderedPage page, Optional<String> sourceEtag,
                                Optional<String> sequencer, String renderer, String pageEtag) {
        return ManifestEntries.of(sourceKey, page, sourceEtag, sequencer, renderer, pageEtag,
                ManifestEntries.feedContent(page, sourceKey, config.render()));
    }

    /** The later of the event's sequencer and the one recorded. */
    private static Optional<String> sequencer(SourceEvent event, Optional<ManifestEntry> entry) {
        Optional<String> recorded = entry.flatMap(ManifestEntry::sequencer);
        if (event.sequencer().isEmpty()) {
            return recorded;
        }
        return recorded.filter(event::isOlderThan).or(event::sequencer);
    }

    /**
     * A post deleted from the feed window brings an older one into it, whose content the
     * manifest no longer has: render it again.
     */
    private SiteManifest withFeedContent(SiteManifest manifest) {
        if (config.render().siteUrl().isEmpty()) {
            return manifest;
        }
        SiteManifest result = manifest;
        for (ManifestEntry missing : manifest.feedEntriesWithoutContent()) {
            Optional<StoredObject> object = source.get(missing.sourceKey(), parser.maxBytes());
            if (object.isPresent()) {
                try {
                    SourceKey key = SourceKey.of(missing.sourceKey());
                    RenderedPage page = renderers.forLayouts(manifest.layouts()).pages()
                            .render(parser.parse(key, object.get().content()));
                    result = result.with(entry(key, page, missing.sourceEtag(), missing.sequencer(), missing.renderer(),
                            missing.pageEtag().orElse("")));
                } catch (InvalidPostException e) {
                    // the post changed into something invalid since: its own event reports it
                }
            }
        }
        return result;
    }

    // --- the front page

    private PublishResult frontPage(SourceKey sourceKey, SourceEvent event) {
        Optional<StoredObject> object = source.get(sourceKey.key(), parser.maxBytes());
        Optional<FrontPage> page = Optional.empty();
        if (object.isPresent()) {
            Post post = parser.parse(sourceKey, object.get().content());
            if (!post.frontMatter().draft()) {
                RenderedIntro intro = renderers.forLayouts(manifests.read().manifest().layouts()).pages()
                        .renderIntro(post);
                page = Optional.of(new FrontPage(intro.title(), intro.description(), intro.html()));
            }
        }
        Optional<FrontPage> frontPage = page;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            ManifestStore.Versioned read = manifests.read();
            if (read.manifest().frontPage().equals(frontPage)) {
                return result(event, Action.UNCHANGED, Optional.of("index.html"));
            }
            Optional<Commit> commit = commit(read, null, manifest -> manifest.withFrontPage(frontPage));
            if (commit.isPresent()) {
                refresh(commit.get(), Set.of());
                return result(event, Action.RENDERED, Optional.of("index.html"));
            }
            backOff(round);
        }
        throw new StoreException(sourceKey.key(), "the manifest kept changing under " + MAX_ROUNDS + " attempts", null);
    }

    // --- layouts

    /**
     * A custom layout changed. A site of up to {@value #REBUILD_LIMIT} posts is rebuilt right here:
     * every post rendered again with the new layouts, then the manifest and every derived page.
     * A larger one would not fit in one invocation: the new layouts are recorded and the derived
     * pages rebuilt, and each post is rendered again on its next event, or at once by an S3 Batch
     * Operations job ({@code rerender --batch}).
     */
    private PublishResult layoutsChanged(SourceEvent event) {
        SiteRenderers.Renderers current = renderers.current();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            ManifestStore.Versioned read = manifests.read();
            if (read.manifest().layouts().equals(current.layouts())) {
                return result(event, Action.UNCHANGED, Optional.empty());
            }
            if (read.manifest().posts().size() <= REBUILD_LIMIT) {
                new SiteBuilder(source, site, config).build();
                return result(event, Action.RENDERED, Optional.empty());
            }
            Optional<Commit> commit = commit(read, null, manifest -> manifest.withLayouts(current.layouts()));
            if (commit.isPresent()) {
                sitePages.rewriteAll(current.site(), commit.get().before(), commit.get().after());
                return result(event, Action.RENDERED, Optional.empty());
            }
            backOff(round);
        }
        throw new StoreException(event.key(), "the manifest kept changing under " + MAX_ROUNDS + " attempts", null);
    }

    // --- assets

    private PublishResult publishAsset(SourceKey sourceKey, SourceEvent event) {
        String key = sourceKey.key();
        for (int round = 1; ; round++) {
            Optional<ObjectInfo> published = site.head(key);
            if (published.map(info -> info.metadata().get(META_SEQUENCER)).filter(event::isOlderThan).isPresent()) {
                return result(event, Action.STALE, Optional.of(key));
            }
            Optional<ObjectInfo> object = source.head(key);
            if (object.isEmpty()) {
                published.ifPresent(asset -> site.delete(key));
                return result(event, Action.SOURCE_MISSING, Optional.of(key));
            }
            Optional<String> etag = object.get().etag();
            if (round == 1 && event.etag().isPresent() && etag.isPresent() && !event.etag().equals(etag)) {
                return result(event, Action.SUPERSEDED, Optional.of(key));
            }
            if (etag.isPresent() && published.map(info -> info.metadata().get(META_SOURCE_ETAG))
                    .filter(etag.get()::equals).isPresent()) {
                return result(event, Action.UNCHANGED, Optional.of(key));
            }
            if (!source.copyTo(key, site, options(ContentTypes.of(key), sourceKey, etag, event, ""))) {
                continue;
            }
            // a delete or a new version racing the copy: copy or remove again from what is there now
            Optional<String> now = source.head(key).flatMap(ObjectInfo::etag);
            if (now.equals(etag) || round == MAX_ROUNDS) {
                return result(event, Action.COPIED, Optional.of(key));
            }
        }
    }

    private PublishResult removeAsset(SourceKey sourceKey, SourceEvent event) {
        String key = sourceKey.key();
        if (source.head(key).isPresent()) {
            return result(event, Action.KEPT, Optional.of(key));
        }
        site.delete(key);
        return result(event, Action.DELETED, Optional.of(key));
    }

    // --- the manifest

    /** A manifest replaced: what it was, and what it is now. */
    private record Commit(SiteManifest before, SiteManifest after) {
    }

    /**
     * Applies a change with a conditional write, re-reading and re-applying when another
     * invocation committed first, unless that invocation touched the same key: then the caller
     * decides again.
     *
     * @param key the post the change is about, or null for a site-wide change
     */
    private Optional<Commit> commit(ManifestStore.Versioned read, String key, UnaryOperator<SiteManifest> change) {
        ManifestStore.Versioned base = read;
        Optional<ManifestEntry> seen = key == null ? Optional.empty() : read.manifest().entry(key);
        for (int attempt = 1; attempt <= MAX_ROUNDS; attempt++) {
            SiteManifest next = change.apply(base.manifest());
            if (next.sameContentAs(base.manifest())) {
                return Optional.of(new Commit(base.manifest(), base.manifest()));
            }
            Optional<SiteManifest> written = manifests.replace(base, next);
            if (written.isPresent()) {
                return Optional.of(new Commit(base.manifest(), written.get()));
            }
            backOff(attempt);
            base = manifests.read();
            if (key != null && !base.manifest().entry(key).equals(seen)) {
                return Optional.empty();
            }
        }
        throw new StoreException(ManifestStore.KEY, "lost " + MAX_ROUNDS + " conditional writes in a row", null);
    }

    /** Writes the derived pages a commit changed; when it changed nothing (a retry), checks them instead. */
    private void refresh(Commit commit, Set<String> tagSlugs) {
        SiteIndex index = renderers.forLayouts(commit.after().layouts()).site();
        if (commit.before() == commit.after()) {
            sitePages.repair(index, commit.after(), tagSlugs);
        } else {
            sitePages.update(index, commit.before(), commit.after(), tagSlugs);
        }
    }

    private static Set<String> tags(Optional<ManifestEntry> before, Optional<ManifestEntry> after) {
        Set<String> slugs = new LinkedHashSet<>();
        before.ifPresent(entry -> entry.tags().forEach(tag -> slugs.add(TagSlug.of(tag))));
        after.ifPresent(entry -> entry.tags().forEach(tag -> slugs.add(TagSlug.of(tag))));
        return slugs;
    }

    private static void backOff(int attempt) {
        Backoff.pause(attempt, ManifestStore.KEY);
    }

    private PutOptions options(String contentType, SourceKey sourceKey, Optional<String> sourceEtag,
                               SourceEvent event, String renderer) {
        Map<String, String> metadata = new HashMap<>();
        // user metadata travels as HTTP headers: keep it ASCII
        metadata.put(META_SOURCE_KEY, URLEncoder.encode(sourceKey.key(), StandardCharsets.UTF_8));
        sourceEtag.ifPresent(etag -> metadata.put(META_SOURCE_ETAG, etag));
        event.sequencer().ifPresent(sequencer -> metadata.put(META_SEQUENCER, sequencer));
        if (!renderer.isEmpty()) {
            metadata.put(META_RENDERER, renderer);
        }
        return new PutOptions(contentType, Optional.of(config.cacheControl()), metadata);
    }

    private static PublishResult result(SourceEvent event, Action action, Optional<String> siteKey) {
        return new PublishResult(event.key(), action, siteKey);
    }
}
