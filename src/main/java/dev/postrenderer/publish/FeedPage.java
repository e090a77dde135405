package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.site.AtomFeed;
import dev.postrenderer.site.FeedContent;
import dev.postrenderer.site.FeedItem;
import dev.postrenderer.site.FeedRef;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SitePage;
import dev.postrenderer.site.SiteState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the feed of the posts the state lists for it. The feed is its own record of the posts'
 * bodies: an entry whose page is the one the state records is kept as it is, the posts the batch
 * listed come with their bodies, and only an entry neither has (one a concurrent batch listed, or one
 * a feed that cannot be read back held) is made again from its post's source. A writer that finds a
 * newer state's feed leaves it; one that finds another batch's builds on it. A new post thus costs
 * one read and one write of the feed. Thread-safe if its stores are.
 */
final class FeedPage {

    private static final int MAX_ATTEMPTS = 8;

    private final ObjectStore site;
    private final ObjectStore source;
    private final PostParser parser;
    private final SiteRenderers.Renderers renderers;
    private final SiteConfig config;

    FeedPage(ObjectStore site, ObjectStore source, PostParser parser, SiteRenderers.Renderers renderers,
             SiteConfig config) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.source = Objects.requireNonNull(source, "source == null");
        this.parser = Objects.requireNonNull(parser, "parser == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.config = Objects.requireNonNull(config, "config == null");
    }

    /**
     * Writes the feed of {@code after}, with the entries of the posts the batch listed by path.
     *
     * @return true if the feed was written
     */
    boolean publish(SiteState after, Map<String, PostOutcome.Listed> listed, SitePagesWriter writer, Outcomes outcomes) {
        AtomFeed feed = renderers.feed();
        if (config.render().siteUrl().isEmpty()) {
            return false;
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredObject> old = site.get(SiteKeys.FEED);
            if (old.isPresent() && writer.newer(old.get().info())) {
                return false;
            }
            Map<String, FeedItem> kept = new HashMap<>();
            old.ifPresent(object -> read(feed, object, outcomes).forEach(item -> kept.put(item.path(), item)));
            List<FeedItem> items = new ArrayList<>();
            for (FeedRef ref : after.feed()) {
                entry(ref, listed.get(ref.path()), kept.get(ref.path())).ifPresent(items::add);
            }
            Optional<SitePage> page = feed.page(items);
            if (page.isEmpty() || old.filter(object -> Arrays.equals(object.content(), page.get().content())).isPresent()) {
                return false;
            }
            if (writer.writeOver(page.get(), old.map(StoredObject::info))) {
                return true;
            }
            Backoff.pause(attempt, SiteKeys.FEED);
        }
        throw new StoreException(SiteKeys.FEED, "kept losing conditional writes of the feed", null);
    }

    private static List<FeedItem> read(AtomFeed feed, StoredObject object, Outcomes outcomes) {
        AtomFeed.Read read = feed.read(object.content());
        read.problem().ifPresent(problem -> outcomes.warn(SiteKeys.FEED + " could not be read back (" + problem
                + "); its entries are made again from their posts' sources"));
        return read.items();
    }

    /** The entry for a post of the feed: this batch's, the feed's own, or made again from its source. */
    private Optional<FeedItem> entry(FeedRef ref, PostOutcome.Listed fresh, FeedItem kept) {
        if (fresh != null && fresh.body().isPresent() && fresh.entry().pageEtag().equals(ref.pageEtag())) {
            return Optional.of(FeedItem.of(fresh.entry(), fresh.body().get().content(), fresh.body().get().author()));
        }
        if (kept != null && kept.pageEtag().equals(ref.pageEtag())) {
            return Optional.of(kept);
        }
        return fromSource(ref);
    }

    /** An entry made again from the post's source, for the page the state records. */
    private Optional<FeedItem> fromSource(FeedRef ref) {
        try {
            SourceKey key = SourceKey.of(ref.key());
            Optional<StoredObject> object = source.get(ref.key(), parser.maxBytes());
            if (object.isEmpty()) {
                return Optional.empty(); // deleted since: its own change takes it out
            }
            Post post = parser.parse(key, object.get().content());
            RenderedPage page = renderers.pages().render(post);
            // made for the page the state records: the entry is kept while the state records that page
            PostEntry entry = PostEntries.of(key, page, object.get().info().etag(), Optional.empty(),
                    renderers.pages().version(), ref.pageEtag());
            String content = FeedContent.absolutize(page.content(), SiteUrls.absolute(config.render().siteUrl()
                    .orElseThrow(), key.pagePath()), config.render().rawHtml() == RawHtmlPolicy.ALLOW);
            return Optional.of(FeedItem.of(entry, content, page.author()));
        } catch (InvalidPostException e) {
            return Optional.empty(); // changed into something invalid since: its own change reports it
        }
    }
}
