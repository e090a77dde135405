package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.RenderedIntro;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.site.FeedContent;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.ManifestEntry;
import dev.postrenderer.site.SiteManifest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a whole site from a whole source at once, as the {@code render} command does: every post
 * rendered on all cores, every asset copied, then one manifest and every page derived from it.
 * The pages are byte for byte those the function publishes for the same sources one event at a
 * time. A post that fails keeps its previous page and entry; a post whose source is gone, or
 * that became a draft, loses them.
 */
public final class SiteBuilder {

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteConfig config;
    private final PostParser parser;

    public SiteBuilder(ObjectStore source, ObjectStore site, SiteConfig config) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.parser = new PostParser(config.maxPostBytes());
    }

    /** What became of one source key: its result, or the problem that kept it from being published. */
    public record Outcome(String key, Optional<PublishResult> result, Optional<String> error) {
    }

    /** Builds the site from every object of the source. */
    public List<Outcome> build() {
        SiteRenderers.Renderers renderers = new SiteRenderers(config.render(), source).current();
        ManifestStore manifests = new ManifestStore(site);
        ManifestStore.Versioned read = manifests.read();
        Map<String, ManifestEntry> entries = new ConcurrentHashMap<>();
        Map<String, String> contents = new ConcurrentHashMap<>();
        Map<String, FrontPage> frontPage = new ConcurrentHashMap<>();
        List<Outcome> outcomes = source.list("").parallelStream()
                .map(ObjectInfo::key)
                .map(key -> build(key, renderers, read.manifest(), entries, contents, frontPage))
                .toList();

        Set<String> failed = new HashSet<>();
        outcomes.stream().filter(outcome -> outcome.error().isPresent()).forEach(outcome -> failed.add(outcome.key()));
        Map<String, ManifestEntry> next = new TreeMap<>();
        read.manifest().entries().forEach((key, entry) -> {
            if (failed.contains(key) && !entry.deleted()) {
                next.put(key, entry);
            }
        });
        next.putAll(entries);
        SiteManifest manifest = new SiteManifest(read.manifest().version(), Optional.ofNullable(frontPage.get("")),
                renderers.layouts(), next);
        // only the feed's posts keep their content: absolutise those alone
        for (ManifestEntry window : manifest.feedEntriesWithoutContent()) {
            String body = contents.get(window.sourceKey());
            if (body != null && config.render().siteUrl().isPresent()) {
                manifest = manifest.with(window.withContent(FeedContent.absolutize(body,
                        SiteUrls.absolute(config.render().siteUrl().get(), window.path()))));
            }
        }
        for (ManifestEntry old : read.manifest().posts()) {
            if (!manifest.entry(old.sourceKey()).filter(entry -> !entry.deleted()).isPresent()) {
                site.delete(SourceKey.of(old.sourceKey()).siteKey().orElseThrow());
            }
        }
        SiteManifest written = manifests.replace(read, manifest).orElseThrow(() ->
                new StoreException(ManifestStore.KEY, "the manifest changed while the site was being built", null));
        new SitePagesWriter(site, config.cacheControl()).rewriteAll(renderers.site(), read.manifest(), written);
        return outcomes;
    }

    private Outcome build(String key, SiteRenderers.Renderers renderers, SiteManifest before,
                          Map<String, ManifestEntry> entries, Map<String, String> contents,
                          Map<String, FrontPage> frontPage) {
        try {
            SourceKey sourceKey = SourceKey.of(key);
            PublishResult result = switch (sourceKey.kind()) {
                case IGNORED -> new PublishResult(key, Action.IGNORED, Optional.empty());
                case ASSET -> {
                    source.copyTo(key, site, new PutOptions(ContentTypes.of(key), Optional.of(config.cacheControl()),
                            Map.of()));
                    yield new PublishResult(key, Action.COPIED, sourceKey.siteKey());
                }
                case FRONT_PAGE -> {
                    Post post = read(sourceKey);
                    if (!post.frontMatter().draft()) {
                        RenderedIntro intro = renderers.pages().renderIntro(post);
                        frontPage.put("", new FrontPage(intro.title(), intro.description(), intro.html()));
                    }
                    yield new PublishResult(key, Action.RENDERED, Optional.of("index.html"));
                }
                case POST -> post(sourceKey, renderers, entries, contents);
            };
            return new Outcome(key, Optional.of(result), Optional.empty());
        } catch (InvalidPostException e) {
            return new Outcome(key, Optional.empty(), Optional.of(e.problem()));
        } catch (StoreException e) {
            return new Outcome(key, Optional.empty(), Optional.of(String.valueOf(e.getCause() == null ? e : e.getCause())));
        }
    }

    private PublishResult post(SourceKey sourceKey, SiteRenderers.Renderers renderers,
                               Map<String, ManifestEntry> entries, Map<String, String> contents) {
        String siteKey = sourceKey.siteKey().orElseThrow();
        StoredObject object = source.get(sourceKey.key(), parser.maxBytes()).orElseThrow(() ->
                new StoreException(sourceKey.key(), "vanished while the site was being built", null));
        Post post = parser.parse(sourceKey, object.content());
        if (post.frontMatter().draft()) {
            site.delete(siteKey);
            return new PublishResult(sourceKey.key(), Action.DRAFT, Optional.of(siteKey));
        }
        RenderedPage page = renderers.pages().render(post);
        byte[] html = page.html().getBytes(StandardCharsets.UTF_8);
        Map<String, String> metadata = new HashMap<>();
        metadata.put(Publisher.META_RENDERER, renderers.pages().version());
        site.put(siteKey, html, new PutOptions(ContentTypes.HTML, Optional.of(config.cacheControl()), metadata));
        contents.put(sourceKey.key(), page.content());
        entries.put(sourceKey.key(), ManifestEntries.of(sourceKey, page, object.info().etag(), Optional.empty(),
                renderers.pages().version(), ETags.of(html), Optional.empty()));
        return new PublishResult(sourceKey.key(), Action.RENDERED, Optional.of(siteKey));
    }

    private Post read(SourceKey sourceKey) {
        StoredObject object = source.get(sourceKey.key(), parser.maxBytes()).orElseThrow(() ->
                new StoreException(sourceKey.key(), "vanished while the site was being built", null));
        return parser.parse(sourceKey, object.content());
    }
}
