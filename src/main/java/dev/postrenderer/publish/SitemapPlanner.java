package dev.postrenderer.publish;

import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEdit.PageChange;
import dev.postrenderer.site.ListingEdit.PageView;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SitePage;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.Sitemaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides which sitemaps a commit changes (see {@link Sitemaps}): the whole sitemap while every post
 * is on the front page; once there are archive pages, the index when a month appears or goes,
 * {@code latest.xml} when the front page's posts change, {@code tags.xml} when a tag appears or goes,
 * and the sitemap of each month whose archive pages gained, lost or changed posts.
 */
final class SitemapPlanner {

    private final Sitemaps sitemaps;
    private final ListingViews views;

    SitemapPlanner(Sitemaps sitemaps, ListingViews views) {
        this.sitemaps = Objects.requireNonNull(sitemaps, "sitemaps == null");
        this.views = Objects.requireNonNull(views, "views == null");
    }

    /** Adds the sitemaps that change to {@code writes}; {@code first} when every page is written anew. */
    void plan(SiteState before, SiteState after, ListingEdit front, boolean first, List<PageWrite> writes) {
        if (!sitemaps.enabled()) {
            return;
        }
        List<String> tagsBefore = ListingViews.tags(before);
        List<String> tagsAfter = ListingViews.tags(after);
        boolean indexedBefore = !before.months().isEmpty();
        boolean indexedAfter = !after.months().isEmpty();
        List<PostEntry> latestBefore = front.frontBefore().posts();
        List<PostEntry> latestAfter = front.frontAfter().posts();
        Optional<SitePage> sitemapBefore = before.version() == 0 ? Optional.empty() : indexedBefore
                ? sitemaps.index(before.months().keySet()) : sitemaps.sitemap(latestBefore, tagsBefore);
        if (!indexedAfter) {
            if (first || indexedBefore || !latestBefore.equals(latestAfter) || !tagsBefore.equals(tagsAfter)) {
                writes.add(PageWrite.of(SiteKeys.SITEMAP, sitemapBefore, sitemaps.sitemap(latestAfter, tagsAfter)));
            }
        } else if (first || !indexedBefore || !before.months().keySet().equals(after.months().keySet())) {
            writes.add(PageWrite.of(SiteKeys.SITEMAP, sitemapBefore, sitemaps.index(after.months().keySet())));
        }
        if (indexedAfter && (first || !indexedBefore || !latestBefore.equals(latestAfter))) {
            writes.add(PageWrite.of(SiteKeys.SITEMAP_LATEST, indexedBefore ? sitemaps.latest(latestBefore)
                    : Optional.empty(), sitemaps.latest(latestAfter)));
        }
        if (indexedAfter && (first || !indexedBefore || !tagsBefore.equals(tagsAfter))) {
            writes.add(PageWrite.of(SiteKeys.SITEMAP_TAGS, indexedBefore ? sitemaps.tags(tagsBefore)
                    : Optional.empty(), sitemaps.tags(tagsAfter)));
        }
        if (indexedBefore && !indexedAfter) {
            writes.add(PageWrite.of(SiteKeys.SITEMAP_LATEST, sitemaps.latest(latestBefore), Optional.empty()));
            writes.add(PageWrite.of(SiteKeys.SITEMAP_TAGS, sitemaps.tags(tagsBefore), Optional.empty()));
        }
        months(before, after, front, first, writes);
    }

    /** The months whose archive pages gained, lost or changed posts, each found near such a page. */
    private void months(SiteState before, SiteState after, ListingEdit front, boolean first, List<PageWrite> writes) {
        Map<String, PostEntry> months = new TreeMap<>();
        for (PageChange change : front.archive()) {
            List<PostEntry> was = change.before().map(PageView::posts).orElse(List.of());
            List<PostEntry> is = change.after().map(PageView::posts).orElse(List.of());
            if (!was.equals(is) || first) {
                months.putIfAbsent(SiteKeys.month(change.name()), (is.isEmpty() ? was : is).get(0));
            }
        }
        // every month's pages before and after first, so that they are read together
        Map<String, List<ArchivePage>> pagesBefore = new TreeMap<>();
        Map<String, List<ArchivePage>> pagesAfter = new TreeMap<>();
        List<ArchivePage> all = new ArrayList<>();
        months.forEach((month, near) -> {
            pagesBefore.put(month, views.monthPages(before, month, near));
            pagesAfter.put(month, views.monthPages(after, month, near));
            all.addAll(pagesBefore.get(month));
            all.addAll(pagesAfter.get(month));
        });
        views.prefetch(all);
        months.keySet().forEach(month -> {
            List<PostEntry> was = views.posts(pagesBefore.get(month));
            List<PostEntry> is = views.posts(pagesAfter.get(month));
            writes.add(PageWrite.of(SiteKeys.sitemap(month),
                    was.isEmpty() ? Optional.empty() : sitemaps.month(month, was),
                    is.isEmpty() ? Optional.empty() : sitemaps.month(month, is)));
        });
    }
}
