package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.site.FeedItem;
import dev.postrenderer.site.FeedRef;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEdit.PageChange;
import dev.postrenderer.site.ListingEdit.PageView;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SitePage;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.site.SiteState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Writes the pages around the posts that one commit changed, and no others: the front pages and
 * archive pages of the listings it edited, the 404 page, the sitemaps, the feed. Each page is
 * rendered twice, from the state before and after, so that it is written only when its bytes
 * change and {@code If-Match} the ETag it had (see {@link SitePagesWriter}).
 */
final class DerivedPages {

    /** A post listed anew by the batch, with its body for the feed. */
    record Listed(PostEntry entry, Optional<String> content) {
    }


    private final ObjectStore site;
    private final ObjectStore source;
    private final PostParser parser;
    private final SitePagesWriter writer;
    private final SiteRenderers.Renderers renderers;
    private final SitePages pages;
    private final SiteConfig config;
    private final ListingEditor.Parts parts;

    DerivedPages(ObjectStore site, ObjectStore source, PostParser parser, SitePagesWriter writer,
                 SiteRenderers.Renderers renderers, SiteConfig config, ListingEditor.Parts parts) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.source = Objects.requireNonNull(source, "source == null");
        this.parser = Objects.requireNonNull(parser, "parser == null");
        this.writer = Objects.requireNonNull(writer, "writer == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.pages = renderers.site();
        this.config = Objects.requireNonNull(config, "config == null");
        this.parts = Objects.requireNonNull(parts, "parts == null");
    }

    /** A page to write (or delete, when {@code after} is empty), with its bytes before. */
    private record Write(String key, Optional<byte[]> before, Optional<SitePage> after) {
    }

    /**
     * @param whole   a rebuild of the whole site: the fixed pages are written too
     * @param repairs listings whose front pages to check, after a duplicate that may follow a failed attempt
     */
    void write(SiteState before, SiteState after, Map<String, ListingEdit> edits, Map<String, Listed> listed,
               boolean whole, Set<String> repairs) {
        long version = after.version();
        // the fixed pages (404, robots.txt, favicon) change only with the layouts or the settings
        boolean first = before.version() == 0 || whole || !before.layouts().equals(after.layouts());
        List<Write> writes = new ArrayList<>();
        ListingEdit front = edits.getOrDefault(SiteState.FRONT, unchanged(before, SiteState.FRONT));
        boolean introChanged = !before.frontPage().equals(after.frontPage());

        // the front listing: its front page, 404, sitemaps
        if (first || introChanged || !front.frontBefore().equals(front.frontAfter())) {
            writes.add(new Write("index.html", before.version() == 0 ? Optional.empty()
                    : Optional.of(pages.front(before.frontPage(), front.frontBefore()).content()),
                    Optional.of(pages.front(after.frontPage(), front.frontAfter()))));
        }
        if (first) {
            writes.add(new Write("404.html", Optional.empty(), Optional.of(pages.notFound())));
        }
        for (PageChange change : front.archive()) {
            writes.add(archive(SiteState.FRONT, Optional.empty(), change));
        }
        sitemaps(before, after, front, first, writes);

        // the tags
        for (ListingEdit edit : edits.values()) {
            if (edit.id().equals(SiteState.FRONT)) {
                continue;
            }
            String slug = edit.id().substring("tags/".length());
            Optional<ListingMeta> was = before.listing(edit.id());
            String name = edit.meta().or(() -> was).map(ListingMeta::name).orElse(slug);
            if (!edit.frontBefore().equals(edit.frontAfter()) || first) {
                writes.add(new Write(SitePages.frontKey(edit.id()),
                        was.map(meta -> pages.tag(slug, meta.name(), edit.frontBefore()).content()),
                        edit.meta().map(meta -> pages.tag(slug, name, edit.frontAfter()))));
            }
            for (PageChange change : edit.archive()) {
                writes.add(archive(edit.id(), Optional.of(name), change));
            }
        }
        if (first) {
            writes.add(new Write("robots.txt", Optional.empty(), Optional.of(pages.robots())));
            writes.add(new Write("favicon.svg", Optional.empty(), Optional.of(pages.favicon())));
        }
        if (whole || (!before.layouts().equals(after.layouts())
                && after.listing(SiteState.FRONT).map(ListingMeta::posts).orElse(0) <= Publisher.REBUILD_LIMIT)) {
            // new layouts on a small site: every page the state lists is made again with them
            everyPage(after, writes);
        }
        Map<String, Write> byKey = new LinkedHashMap<>();
        for (Write write : writes) {
            Write earlier = byKey.get(write.key());
            // one write per key: the later knows the page after; the earlier what it was before
            byKey.put(write.key(), earlier == null ? write : new Write(write.key(), earlier.before(), write.after()));
        }
        Parallel.map(new ArrayList<>(byKey.values()), write -> {
            apply(write, whole);
            return null;
        });
        if (!before.feed().equals(after.feed()) || first) {
            feed(after, listed, version);
        }
        repair(after, repairs, version);
    }

    private Write archive(String listing, Optional<String> tag, PageChange change) {
        String key = SitePages.archiveKey(listing, change.name());
        return new Write(key, change.before().map(view -> pages.archive(listing, tag, change.name(), view).content()),
                change.after().map(view -> pages.archive(listing, tag, change.name(), view)));
    }

    private void apply(Write write, boolean whole) {
        if (write.after().isPresent()) {
            if (whole) {
                // a rebuild owns every page it writes; it still skips pages whose bytes are the same
                Optional<ObjectInfo> current = site.head(write.key());
                if (current.filter(info -> info.holds(write.after().get().content())).isEmpty()) {
                    writer.overwrite(write.after().get());
                }
            } else {
                writer.write(write.after().get(), write.before());
            }
        } else if (write.before().isPresent()) {
            writer.delete(write.key(), write.before().get());
        }
    }

    // --- sitemaps

    /**
     * The sitemap: one file while every post is on the front page; once there are archive pages,
     * an index of {@code sitemaps/latest.xml} (the front page's posts), {@code sitemaps/tags.xml}
     * and one file per month of archive pages, so that a change rewrites the few files of its
     * months and the index only when a month appears or goes.
     */
    private void sitemaps(SiteState before, SiteState after, ListingEdit front, boolean first, List<Write> writes) {
        if (config.render().siteUrl().isEmpty()) {
            return;
        }
        Set<String> tagsBefore = tags(before);
        Set<String> tagsAfter = tags(after);
        boolean indexedBefore = !before.months().isEmpty();
        boolean indexedAfter = !after.months().isEmpty();
        List<PostEntry> latestBefore = front.frontBefore().posts();
        List<PostEntry> latestAfter = front.frontAfter().posts();
        Optional<byte[]> sitemapBefore = before.version() == 0 ? Optional.empty() : indexedBefore
                ? pages.sitemapIndex(before.months().keySet()).map(SitePage::content)
                : pages.sitemap(latestBefore, tagsBefore).map(SitePage::content);
        if (!indexedAfter) {
            if (first || indexedBefore || !latestBefore.equals(latestAfter) || !tagsBefore.equals(tagsAfter)) {
                writes.add(new Write(SitePages.SITEMAP, sitemapBefore, pages.sitemap(latestAfter, tagsAfter)));
            }
        } else if (first || !indexedBefore || !before.months().keySet().equals(after.months().keySet())) {
            writes.add(new Write(SitePages.SITEMAP, sitemapBefore, pages.sitemapIndex(after.months().keySet())));
        }
        if (indexedAfter && (first || !indexedBefore || !latestBefore.equals(latestAfter))) {
            writes.add(new Write(SitePages.SITEMAPS + "latest.xml", indexedBefore
                    ? pages.sitemapLatest(latestBefore).map(SitePage::content) : Optional.empty(),
                    pages.sitemapLatest(latestAfter)));
        }
        if (indexedAfter && (first || !indexedBefore || !tagsBefore.equals(tagsAfter))) {
            writes.add(new Write(SitePages.SITEMAPS + "tags.xml", indexedBefore
                    ? pages.sitemapTags(tagsBefore).map(SitePage::content) : Optional.empty(),
                    pages.sitemapTags(tagsAfter)));
        }
        if (indexedBefore && !indexedAfter) {
            writes.add(new Write(SitePages.SITEMAPS + "latest.xml",
                    pages.sitemapLatest(latestBefore).map(SitePage::content), Optional.empty()));
            writes.add(new Write(SitePages.SITEMAPS + "tags.xml",
                    pages.sitemapTags(tagsBefore).map(SitePage::content), Optional.empty()));
        }
        // the months whose archive pages gained, lost or changed posts, each found near such a page
        Map<String, PostEntry> months = new java.util.TreeMap<>();
        for (PageChange change : front.archive()) {
            List<PostEntry> was = change.before().map(PageView::posts).orElse(List.of());
            List<PostEntry> is = change.after().map(PageView::posts).orElse(List.of());
            if (!was.equals(is) || first) {
                months.putIfAbsent(SitePages.month(change.name()), (is.isEmpty() ? was : is).get(0));
            }
        }
        for (Map.Entry<String, PostEntry> month : months.entrySet()) {
            List<PostEntry> was = monthPosts(before, month.getKey(), month.getValue());
            List<PostEntry> is = monthPosts(after, month.getKey(), month.getValue());
            writes.add(new Write(SitePages.sitemapKey(month.getKey()), was.isEmpty() ? Optional.empty()
                    : pages.sitemapMonth(month.getKey(), was).map(SitePage::content),
                    is.isEmpty() ? Optional.empty() : pages.sitemapMonth(month.getKey(), is)));
        }
    }

    /** The posts of a month's front archive pages, found around a post of one of them. */
    private List<PostEntry> monthPosts(SiteState state, String month, PostEntry near) {
        if (!state.months().containsKey(month)) {
            return List.of();
        }
        List<PostEntry> posts = new ArrayList<>();
        List<dev.postrenderer.site.ArchivePage> named = ListingEditor.pagesNamed(state.listing(SiteState.FRONT),
                near.position(), month, parts);
        if (parts instanceof StateStore.Transaction tx) {
            tx.prefetch(named.stream().map(dev.postrenderer.site.ArchivePage::ref).toList());
        }
        named.forEach(page -> posts.addAll(parts.entries(page.ref())));
        return posts;
    }

    private static Set<String> tags(SiteState state) {
        Set<String> slugs = new TreeSet<>();
        state.listings().keySet().stream().filter(id -> id.startsWith("tags/"))
                .forEach(id -> slugs.add(id.substring("tags/".length())));
        return slugs;
    }

    // --- the feed

    /**
     * Writes the feed of the posts the state lists for it. The feed is its own record of the posts'
     * bodies: an entry whose page ETag is the one the state records is kept as it is, posts this
     * batch listed come with their bodies, and any other is rendered again from its source. Since
     * what belongs in the feed comes from the state, a writer that finds a feed from another batch
     * builds on it rather than over it, and one that finds a newer state's feed leaves it.
     */
    private void feed(SiteState after, Map<String, Listed> listed, long version) {
        if (config.render().siteUrl().isEmpty()) {
            return;
        }
        for (int attempt = 1; attempt <= 8; attempt++) {
            Optional<StoredObject> old = site.get("feed.xml");
            if (old.isPresent() && newer(old.get().info(), version)) {
                return;
            }
            Map<String, FeedItem> known = new HashMap<>();
            old.ifPresent(object -> pages.readFeed(object.content()).forEach(item -> known.put(item.path(), item)));
            List<FeedItem> items = new ArrayList<>();
            for (FeedRef ref : after.feed()) {
                Listed fresh = listed.get(ref.path());
                FeedItem kept = known.get(ref.path());
                if (fresh != null && fresh.content().isPresent()
                        && fresh.entry().pageEtag().equals(ref.pageEtag())) {
                    items.add(FeedItem.of(fresh.entry(), fresh.content().get()));
                } else if (kept != null && kept.pageEtag().equals(ref.pageEtag())) {
                    items.add(kept);
                } else {
                    item(ref).ifPresent(items::add);
                }
            }
            Optional<SitePage> feed = pages.feed(items);
            if (feed.isEmpty() || old.filter(object -> java.util.Arrays.equals(object.content(),
                    feed.get().content())).isPresent()) {
                return;
            }
            Precondition expected = old.flatMap(object -> object.info().etag()).map(Precondition::matching)
                    .orElse(Precondition.ABSENT);
            if (site.put("feed.xml", feed.get().content(), new PutOptions(feed.get().contentType(),
                    Optional.of(config.cacheControl()), Map.of(SitePagesWriter.META_STATE_VERSION,
                    Long.toString(version))), expected).isPresent()) {
                return;
            }
            Backoff.pause(attempt, "feed.xml");
        }
        throw new StoreException("feed.xml", "kept losing conditional writes of the feed", null);
    }

    private static boolean newer(ObjectInfo info, long version) {
        try {
            String written = info.metadata().get(SitePagesWriter.META_STATE_VERSION);
            return written != null && Long.parseLong(written) > version;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A feed entry made again from the post's source: for a post the feed does not hold as the state has it. */
    private Optional<FeedItem> item(FeedRef ref) {
        try {
            SourceKey key = SourceKey.of(ref.key());
            Optional<StoredObject> object = source.get(ref.key(), parser.maxBytes());
            if (object.isEmpty()) {
                return Optional.empty();
            }
            Post post = parser.parse(key, object.get().content());
            RenderedPage page = renderers.pages().render(post);
            // made for the page the state records: the entry is kept while the state records that page
            PostEntry entry = PostEntries.of(key, page, object.get().info().etag(), Optional.empty(),
                    renderers.pages().version(), ref.pageEtag());
            return PostEntries.feedContent(page, key, config.render()).map(content -> FeedItem.of(entry, content));
        } catch (InvalidPostException e) {
            return Optional.empty(); // changed into something invalid since: its own change reports it
        }
    }

    // --- repairs

    /**
     * Makes the pages a failed attempt may have left behind what the state says: each listing's
     * front page and its two newest archive pages, and for the front listing the 404 page, the
     * sitemaps and the feed. Each page is looked at first and written only if it differs.
     */
    private void repair(SiteState after, Set<String> listings, long version) {
        List<SitePage> expected = new ArrayList<>();
        for (String id : listings) {
            Optional<ListingMeta> meta = after.listing(id);
            if (meta.isEmpty()) {
                continue;
            }
            PageView front = view(after, id);
            Optional<String> tag = id.equals(SiteState.FRONT) ? Optional.empty() : Optional.of(meta.get().name());
            expected.add(tag.isEmpty() ? pages.front(after.frontPage(), front)
                    : pages.tag(id.substring("tags/".length()), tag.get(), front));
            List<dev.postrenderer.site.ArchivePage> newest = new ArrayList<>();
            for (var part : meta.get().directory()) {
                for (var page : parts.directory(part.ref())) {
                    if (newest.size() < 3) {
                        newest.add(page);
                    }
                }
                if (newest.size() >= 3) {
                    break;
                }
            }
            for (int i = 0; i < Math.min(2, newest.size()); i++) {
                PageView view = new PageView(parts.entries(newest.get(i).ref()),
                        i == 0 ? Optional.empty() : Optional.of(newest.get(i - 1).name()),
                        i + 1 < newest.size() ? Optional.of(newest.get(i + 1).name()) : Optional.empty());
                expected.add(pages.archive(id, tag, newest.get(i).name(), view));
                if (tag.isEmpty()) {
                    String month = SitePages.month(newest.get(i).name());
                    pages.sitemapMonth(month, monthPosts(after, month, view.posts().get(0))).ifPresent(expected::add);
                }
            }
            if (tag.isEmpty()) {
                expected.add(pages.notFound());
                if (meta.get().hasArchive()) {
                    pages.sitemapLatest(front.posts()).ifPresent(expected::add);
                    pages.sitemapTags(tags(after)).ifPresent(expected::add);
                    pages.sitemapIndex(after.months().keySet()).ifPresent(expected::add);
                } else {
                    pages.sitemap(front.posts(), tags(after)).ifPresent(expected::add);
                }
            }
        }
        Parallel.map(expected, writer::repair);
        if (listings.contains(SiteState.FRONT)) {
            feed(after, Map.of(), version);
        }
    }

    /** A listing the batch did not edit: its front page as the state has it, before and after. */
    private ListingEdit unchanged(SiteState state, String id) {
        PageView view = view(state, id);
        return new ListingEdit(id, state.listing(id), view, view, List.of(), List.of(), List.of());
    }

    private PageView view(SiteState state, String id) {
        return state.listing(id).map(meta -> new PageView(parts.entries(meta.head()), Optional.empty(),
                meta.directory().isEmpty() ? Optional.empty() : Optional.of(meta.directory().get(0).first())))
                .orElse(PageView.EMPTY);
    }


    /** Every page of every listing as the state has it, for a rebuild that owns the whole site. */
    private void everyPage(SiteState state, List<Write> writes) {
        Map<String, List<PostEntry>> byMonth = new java.util.TreeMap<>();
        for (Map.Entry<String, ListingMeta> listing : state.listings().entrySet()) {
            String id = listing.getKey();
            ListingMeta meta = listing.getValue();
            Optional<String> tag = id.equals(SiteState.FRONT) ? Optional.empty() : Optional.of(meta.name());
            PageView front = view(state, id);
            if (tag.isPresent()) {
                writes.add(new Write(SitePages.frontKey(id), Optional.empty(),
                        Optional.of(pages.tag(id.substring("tags/".length()), meta.name(), front))));
            }
            List<dev.postrenderer.site.ArchivePage> archive = new ArrayList<>();
            meta.directory().forEach(part -> archive.addAll(parts.directory(part.ref())));
            for (int i = 0; i < archive.size(); i++) {
                String name = archive.get(i).name();
                PageView view = new PageView(parts.entries(archive.get(i).ref()),
                        i == 0 ? Optional.empty() : Optional.of(archive.get(i - 1).name()),
                        i + 1 < archive.size() ? Optional.of(archive.get(i + 1).name()) : Optional.empty());
                writes.add(new Write(SitePages.archiveKey(id, name), Optional.empty(),
                        Optional.of(pages.archive(id, tag, name, view))));
                if (tag.isEmpty()) {
                    byMonth.computeIfAbsent(SitePages.month(name), month -> new ArrayList<>()).addAll(view.posts());
                }
            }
        }
        byMonth.forEach((month, posts) -> writes.add(new Write(SitePages.sitemapKey(month), Optional.empty(),
                pages.sitemapMonth(month, posts))));
    }
}
