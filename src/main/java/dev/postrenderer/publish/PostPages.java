package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PostOutcome.FeedBody;
import dev.postrenderer.publish.PostOutcome.Previous;
import dev.postrenderer.publish.PostOutcome.Unlisted;
import dev.postrenderer.publish.PostOutcome.Untouched;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderedIntro;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.site.FeedContent;
import dev.postrenderer.site.Fence;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The post stage: for each post of a batch, reads its source, renders it and writes its page (see
 * {@link PostPageWriter}), or plans to take it off the site, in parallel; and renders the front
 * page's introduction. A key's problem is its own: it is recorded, and the other posts go on.
 * Thread-safe if its stores are.
 */
final class PostPages {

    private final ObjectStore source;
    private final ObjectStore site;
    private final PostParser parser;
    private final SiteConfig config;
    private final PostPageWriter writer;
    private final SiteImages images;

    PostPages(ObjectStore source, ObjectStore site, PostParser parser, SiteConfig config) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.parser = Objects.requireNonNull(parser, "parser == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.writer = new PostPageWriter(source, site, config.cacheControl());
        this.images = new SiteImages(site);
    }

    /**
     * What the stage works from: the state read at the start of the batch, the entries the front
     * page's posts hold (every entry, for a rebuild), the renderers, and the batch's plan.
     */
    record Context(SiteState state, Map<String, PostEntry> head, SiteRenderers.Renderers renderers, BatchPlan plan) {
    }

    /** Handles every post, in parallel; a post rejected or failed has no outcome, only its record in {@code outcomes}. */
    List<PostOutcome> apply(List<SourceChange> posts, Context context, Outcomes outcomes) {
        return Parallel.map(posts, change -> handle(change, context, outcomes)).stream()
                .flatMap(Optional::stream).toList();
    }

    private Optional<PostOutcome> handle(SourceChange change, Context context, Outcomes outcomes) {
        try {
            outcomes.checkTime(change.key());
            return Optional.of(post(change, SourceKey.of(change.key()), context, outcomes));
        } catch (InvalidPostException e) {
            outcomes.rejected(change.key(), e.problem());
        } catch (RuntimeException e) {
            outcomes.failed(change.key(), e);
        }
        return Optional.empty();
    }

    private PostOutcome post(SourceChange change, SourceKey key, Context context, Outcomes outcomes) {
        if (change.removed()) {
            return source.head(change.key()).isPresent()
                    ? new Untouched(change, key, Action.KEPT, Optional.empty()) // uploaded again since: its own event publishes it
                    : unpublish(change, key, context, Action.DELETED);
        }
        Optional<PostEntry> known = Optional.ofNullable(context.head().get(change.key()));
        if (newerKnown(change, known, context.state())) {
            return new Untouched(change, key, Action.STALE, Optional.empty());
        }
        if (change.size().isPresent() && change.size().getAsLong() > parser.maxBytes()) {
            throw new InvalidPostException(change.key(), "the post is " + change.size().getAsLong()
                    + " bytes, more than the limit of " + parser.maxBytes() + " (MAX_POST_BYTES)");
        }
        Optional<StoredObject> object = source.get(change.key(), parser.maxBytes());
        if (object.isEmpty()) {
            return unpublish(change, key, context, Action.SOURCE_MISSING);
        }
        Optional<String> etag = object.get().info().etag();
        if (change.etag().isPresent() && etag.isPresent() && !change.etag().equals(etag)) {
            return new Untouched(change, key, Action.SUPERSEDED, Optional.empty()); // the newer version's own event publishes it
        }
        String renderer = context.renderers().pages().version();
        if (known.filter(entry -> entry.sourceEtag().equals(etag) && entry.renderer().equals(renderer)).isPresent()
                && !context.plan().rerendered().contains(change.key())) {
            return new Untouched(change, key, Action.UNCHANGED, known);
        }
        Post post = parser.parse(key, object.get().content());
        if (post.frontMatter().draft()) {
            return unpublish(change, key, context, Action.DRAFT);
        }
        SiteImages.Seen seen = images.lookupFor(change.key());
        RenderedPage page = context.renderers().pages().render(post, seen);
        page.warnings().forEach(warning -> outcomes.warn(change.key() + " " + warning));
        // the page's entity tag is the one the store gives it when it is written
        PostEntry entry = PostEntries.of(key, page, etag, change.sequencer().or(() -> known.flatMap(PostEntry::sequencer)),
                renderer, "");
        PostPageWriter.Page toWrite = new PostPageWriter.Page(change, key, page.html().getBytes(StandardCharsets.UTF_8),
                entry, feedBody(page, key), known, seen.digest());
        return writer.write(toWrite, context.plan().removed(),
                context.plan().displacedBy().getOrDefault(change.key(), Set.of()), outcomes);
    }

    /** Plans to take a post off the site: the state first, then its page. */
    private PostOutcome unpublish(SourceChange change, SourceKey key, Context context, Action action) {
        Optional<PostEntry> known = Optional.ofNullable(context.head().get(change.key()));
        if (newerKnown(change, known, context.state())) {
            return new Untouched(change, key, Action.STALE, Optional.empty());
        }
        if (known.isPresent()) {
            return new Unlisted(change, key, action, Previous.known(known), Optional.of(known.get().pageEtag()));
        }
        Optional<ObjectInfo> page = site.head(key.siteKey().orElseThrow());
        if (page.isEmpty()) {
            return new Unlisted(change, key, action, Previous.NONE, Optional.empty());
        }
        if (!PageMetadata.ownedBy(page.get(), change.key())) {
            return new Untouched(change, key, action, Optional.empty()); // another key's page: not ours to remove
        }
        if (change.isOlderThan(PageMetadata.sequencer(page.get()))) {
            return new Untouched(change, key, Action.STALE, Optional.empty());
        }
        return new Unlisted(change, key, action,
                new Previous(Optional.empty(), Optional.of(PageMetadata.position(page.get(), key.pagePath()))),
                page.get().etag());
    }

    /** True if the state knows a newer change to this key: a listed version, or a recent fence. */
    static boolean newerKnown(SourceChange change, Optional<PostEntry> known, SiteState state) {
        return change.isOlderThan(known.flatMap(PostEntry::sequencer))
                || change.isOlderThan(state.fence(change.key()).flatMap(Fence::sequencer));
    }

    /** The page's body for the feed, with absolute URLs; none without a site URL (there is no feed then). */
    private Optional<FeedBody> feedBody(RenderedPage page, SourceKey key) {
        return config.render().siteUrl().map(url -> new FeedBody(FeedContent.absolutize(page.content(),
                SiteUrls.absolute(url, key.pagePath()), config.render().rawHtml() == RawHtmlPolicy.ALLOW),
                page.author()));
    }

    /**
     * Renders the front page's introduction from the root {@code index.md}: empty when it is removed
     * or a draft.
     *
     * @throws InvalidPostException if it cannot be published as it is
     */
    Optional<FrontPage> intro(SourceChange change, SiteRenderers.Renderers renderers) {
        Optional<StoredObject> object = change.removed() ? Optional.empty() : source.get(change.key(), parser.maxBytes());
        if (object.isEmpty()) {
            return Optional.empty();
        }
        Post post = parser.parse(SourceKey.of(change.key()), object.get().content());
        if (post.frontMatter().draft()) {
            return Optional.empty();
        }
        RenderedIntro intro = renderers.pages().renderIntro(post);
        return Optional.of(new FrontPage(intro.title(), intro.description(), intro.html()));
    }
}
