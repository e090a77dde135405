package dev.postrenderer.publish;

import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEdit.PageChange;
import dev.postrenderer.site.ListingEdit.PageView;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.Sitemaps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides which pages around the posts a commit changes, and renders them before and after: the
 * front pages and archive pages of the listings it edited, the sitemaps, and, when the layouts or
 * settings change or the site is rebuilt, the fixed pages (404, robots.txt, favicon) and on a small
 * site every listing page. Each page is rendered from just its own posts. The feed has its own
 * planner ({@link FeedPage}), since its entries are read back rather than derived.
 */
final class DerivedPagePlanner {

    /** The largest site whose every listing page a layout change rewrites at once. */
    static final int REBUILD_LIMIT = 300;

    private final SitePages pages;
    private final Sitemaps sitemaps;
    private final ListingViews views;

    DerivedPagePlanner(SiteRenderers.Renderers renderers, ListingEditor.Parts parts) {
        this.pages = Objects.requireNonNull(renderers, "renderers == null").site();
        this.sitemaps = renderers.sitemaps();
        this.views = new ListingViews(parts);
    }

    /** The pages to write, one per key, for a commit; {@code whole} for a rebuild that owns every page. */
    List<PageWrite> plan(Commit commit, boolean whole) {
        SiteState before = commit.before();
        SiteState after = commit.after().state();
        // the fixed pages change only with the layouts or the settings
        boolean first = before.version() == 0 || whole || !before.layouts().equals(after.layouts());
        List<PageWrite> writes = new ArrayList<>();
        ListingEdit front = commit.edits().getOrDefault(SiteState.FRONT, views.unchanged(before, SiteState.FRONT));
        if (first || !before.frontPage().equals(after.frontPage()) || !front.frontBefore().equals(front.frontAfter())) {
            writes.add(new PageWrite(SiteKeys.front(SiteState.FRONT), before.version() == 0 ? Optional.empty()
                    : Optional.of(pages.front(before.frontPage(), front.frontBefore()).content()),
                    Optional.of(pages.front(after.frontPage(), front.frontAfter()))));
        }
        front.archive().forEach(change -> writes.add(archive(SiteState.FRONT, Optional.empty(), change)));
        new SitemapPlanner(sitemaps, views).plan(before, after, front, first, writes);
        for (ListingEdit edit : commit.edits().values()) {
            if (!edit.id().equals(SiteState.FRONT)) {
                tag(edit, before, first, writes);
            }
        }
        if (first) {
            writes.add(PageWrite.fresh(pages.notFound()));
            writes.add(PageWrite.fresh(pages.robots()));
            writes.add(PageWrite.fresh(pages.favicon()));
        }
        if (whole || (!before.layouts().equals(after.layouts())
                && after.listing(SiteState.FRONT).map(ListingMeta::posts).orElse(0) <= REBUILD_LIMIT)) {
            // new layouts on a small site: every page the state lists is made again with them
            everyPage(after, writes);
        }
        Map<String, PageWrite> byKey = new LinkedHashMap<>();
        writes.forEach(write -> byKey.merge(write.key(), write, PageWrite::then));
        return List.copyOf(byKey.values());
    }

    private void tag(ListingEdit edit, SiteState before, boolean first, List<PageWrite> writes) {
        String slug = edit.id().substring("tags/".length());
        Optional<ListingMeta> was = before.listing(edit.id());
        String name = edit.meta().or(() -> was).map(ListingMeta::name).orElse(slug);
        if (!edit.frontBefore().equals(edit.frontAfter()) || first) {
            writes.add(new PageWrite(SiteKeys.front(edit.id()),
                    was.map(meta -> pages.tag(slug, meta.name(), edit.frontBefore()).content()),
                    edit.meta().map(meta -> pages.tag(slug, name, edit.frontAfter()))));
        }
        edit.archive().forEach(change -> writes.add(archive(edit.id(), Optional.of(name), change)));
    }

    private PageWrite archive(String listing, Optional<String> tag, PageChange change) {
        return PageWrite.of(SiteKeys.archive(listing, change.name()),
                change.before().map(view -> pages.archive(listing, tag, change.name(), view)),
                change.after().map(view -> pages.archive(listing, tag, change.name(), view)));
    }

    /** Every page of every listing as the state has it, and every month's sitemap. */
    private void everyPage(SiteState state, List<PageWrite> writes) {
        Map<String, List<PostEntry>> byMonth = new TreeMap<>();
        for (Map.Entry<String, ListingMeta> listing : state.listings().entrySet()) {
            String id = listing.getKey();
            ListingMeta meta = listing.getValue();
            Optional<String> tag = id.equals(SiteState.FRONT) ? Optional.empty() : Optional.of(meta.name());
            if (tag.isPresent()) {
                writes.add(PageWrite.fresh(pages.tag(id.substring("tags/".length()), meta.name(),
                        views.front(state, id))));
            }
            List<ArchivePage> archive = views.archive(meta);
            for (int i = 0; i < archive.size(); i++) {
                String name = archive.get(i).name();
                PageView view = views.archivePage(archive, i);
                writes.add(PageWrite.fresh(pages.archive(id, tag, name, view)));
                if (tag.isEmpty()) {
                    byMonth.computeIfAbsent(SiteKeys.month(name), month -> new ArrayList<>()).addAll(view.posts());
                }
            }
        }
        byMonth.forEach((month, posts) -> sitemaps.month(month, posts).map(PageWrite::fresh).ifPresent(writes::add));
    }
}
