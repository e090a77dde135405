package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.PageRenderer;
import dev.postrenderer.render.RenderedPage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what happens to a source key, per the table in DESIGN.md: render a post, copy an asset,
 * ignore configuration, unpublish a draft, delete the page of a deleted source.
 *
 * <p>Thread-safe if its stores are: it holds no mutable state.
 */
public final class Publisher {

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

    /**
     * Publishes what was created or updated at {@code key}.
     *
     * @throws InvalidPostException if the key or the post can never be published as it is
     * @throws StoreException       if storage failed in a way worth retrying
     */
    public PublishResult created(String key) {
        SourceKey sourceKey = SourceKey.of(key);
        return switch (sourceKey.kind()) {
            case IGNORED, FRONT_PAGE -> result(key, Action.IGNORED, Optional.empty());
            case ASSET -> copyAsset(sourceKey);
            case POST -> renderPost(sourceKey);
        };
    }

    /**
     * Unpublishes what was at {@code key}, unless the source is back.
     *
     * @throws InvalidPostException if the key can never be published
     * @throws StoreException       if storage failed in a way worth retrying
     */
    public PublishResult removed(String key) {
        SourceKey sourceKey = SourceKey.of(key);
        if (sourceKey.kind() == SourceKey.Kind.IGNORED || sourceKey.kind() == SourceKey.Kind.FRONT_PAGE) {
            return result(key, Action.IGNORED, Optional.empty());
        }
        String siteKey = sourceKey.siteKey().orElseThrow();
        if (source.head(key).isPresent()) {
            // re-uploaded after the delete was issued: the created event owns the page now
            return result(key, Action.KEPT, Optional.of(siteKey));
        }
        site.delete(siteKey);
        return result(key, Action.DELETED, Optional.of(siteKey));
    }

    private PublishResult copyAsset(SourceKey sourceKey) {
        String key = sourceKey.key();
        boolean copied = source.copyTo(key, site, options(ContentTypes.of(key)));
        return result(key, copied ? Action.COPIED : Action.SOURCE_MISSING, sourceKey.siteKey());
    }

    private PublishResult renderPost(SourceKey sourceKey) {
        String key = sourceKey.key();
        String siteKey = sourceKey.siteKey().orElseThrow();
        Optional<StoredObject> object = source.get(key);
        if (object.isEmpty()) {
            return result(key, Action.SOURCE_MISSING, Optional.of(siteKey));
        }
        Post post = parser.parse(sourceKey, object.get().content());
        if (post.frontMatter().draft()) {
            site.delete(siteKey);
            return result(key, Action.DRAFT, Optional.of(siteKey));
        }
        RenderedPage page = renderer.render(post);
        site.put(siteKey, page.html().getBytes(StandardCharsets.UTF_8), options(ContentTypes.HTML));
        return result(key, Action.RENDERED, Optional.of(siteKey));
    }

    private PutOptions options(String contentType) {
        return new PutOptions(contentType, Optional.of(cacheControl), Map.of());
    }

    private static PublishResult result(String key, Action action, Optional<String> siteKey) {
        return new PublishResult(key, action, siteKey);
    }
}
