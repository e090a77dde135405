package dev.postrenderer.publish;

import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.ListingEdit.PageView;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SitePage;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.Sitemaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes the pages a failed attempt may have left behind what the state says. A change that finds its
 * work already done (a duplicate delivery, or a removal of what is no longer listed) may follow an
 * attempt that committed the state and died before writing the pages around the posts; so for each
 * listing of such a change, its front page and its two newest archive pages are looked at, and for
 * the front listing the 404 page, the sitemaps and the feed, and each is written only if it differs.
 */
final class Repairs {

    private final SitePages pages;
    private final Sitemaps sitemaps;
    private final ListingViews views;

    Repairs(SiteRenderers.Renderers renderers, ListingEditor.Parts parts) {
        this.pages = Objects.requireNonNull(renderers, "renderers == null").site();
        this.sitemaps = renderers.sitemaps();
        this.views = new ListingViews(parts);
    }

    /** The listings a commit's retried changes touch: where a failed attempt may have left pages behind. */
    static Set<String> listings(Commit commit) {
        Set<String> ids = new TreeSet<>();
        for (PostOutcome outcome : commit.outcomes()) {
            if (outcome instanceof PostOutcome.Untouched untouched && untouched.action() == PublishResult.Action.UNCHANGED) {
                ids.add(SiteState.FRONT);
                untouched.entry().ifPresent(entry -> entry.tags()
                        .forEach(tag -> ids.add(SiteState.tagListing(TagSlug.of(tag)))));
            }
        }
        for (ResolvedChange change : commit.applied()) {
            if (change.outcome() instanceof PostOutcome.Unlisted && change.listed().isEmpty()) {
                ids.add(SiteState.FRONT);
            }
        }
        return ids;
    }

    /** The pages to check for these listings of a state. */
    List<SitePage> expected(SiteState state, Set<String> listings) {
        List<SitePage> expected = new ArrayList<>();
        for (String id : listings) {
            Optional<ListingMeta> meta = state.listing(id);
            if (meta.isEmpty()) {
                continue;
            }
            PageView front = views.front(state, id);
            Optional<String> tag = id.equals(SiteState.FRONT) ? Optional.empty() : Optional.of(meta.get().name());
            expected.add(tag.isEmpty() ? pages.front(state.frontPage(), front)
                    : pages.tag(id.substring("tags/".length()), tag.get(), front));
            // three pages, to render the newest two with their links to their older neighbours
            List<ArchivePage> newest = views.newestArchive(meta.get(), 3);
            for (int i = 0; i < Math.min(2, newest.size()); i++) {
                PageView view = views.archivePage(newest, i);
                expected.add(pages.archive(id, tag, newest.get(i).name(), view));
                if (tag.isEmpty()) {
                    String month = SiteKeys.month(newest.get(i).name());
                    sitemaps.month(month, views.monthPosts(state, month, view.posts().get(0))).ifPresent(expected::add);
                }
            }
            if (tag.isEmpty()) {
                expected.add(pages.notFound());
                List<String> tags = ListingViews.tags(state);
                if (meta.get().hasArchive()) {
                    sitemaps.latest(front.posts()).ifPresent(expected::add);
                    sitemaps.tags(tags).ifPresent(expected::add);
                    sitemaps.index(state.months().keySet()).ifPresent(expected::add);
                } else {
                    sitemaps.sitemap(front.posts(), tags).ifPresent(expected::add);
                }
            }
        }
        return expected;
    }
}
