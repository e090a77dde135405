package dev.postrenderer.publish;

import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.DirectoryRef;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEdit.PageView;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.Listings;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SiteState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The pages of a listing as a state has them, read through its parts: its front page, its archive pages, a month's posts. */
final class ListingViews {

    private final ListingEditor.Parts parts;

    ListingViews(ListingEditor.Parts parts) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
    }

    /** A listing's front page as the state has it. */
    PageView front(SiteState state, String id) {
        return state.listing(id).map(meta -> new PageView(parts.entries(meta.head()), Optional.empty(),
                meta.directory().isEmpty() ? Optional.empty() : Optional.of(meta.directory().get(0).first())))
                .orElse(PageView.EMPTY);
    }

    /** A listing the batch did not edit: its front page as the state has it, before and after. */
    ListingEdit unchanged(SiteState state, String id) {
        PageView view = front(state, id);
        return new ListingEdit(id, state.listing(id), view, view, List.of(), List.of(), List.of());
    }

    /** Every archive page of a listing, newest first. */
    List<ArchivePage> archive(ListingMeta meta) {
        List<ArchivePage> archive = new ArrayList<>();
        meta.directory().forEach(part -> archive.addAll(parts.directory(part.ref())));
        return archive;
    }

    /** The newest archive pages of a listing, at most {@code count}, reading no more directory parts than they take. */
    List<ArchivePage> newestArchive(ListingMeta meta, int count) {
        List<ArchivePage> newest = new ArrayList<>();
        for (DirectoryRef part : meta.directory()) {
            for (ArchivePage page : parts.directory(part.ref())) {
                if (newest.size() < count) {
                    newest.add(page);
                }
            }
            if (newest.size() >= count) {
                break;
            }
        }
        return newest;
    }

    /** Archive page {@code i} of a run of them, newest first, with its links to its neighbours. */
    PageView archivePage(List<ArchivePage> archive, int i) {
        return new PageView(parts.entries(archive.get(i).ref()),
                i == 0 ? Optional.empty() : Optional.of(archive.get(i - 1).name()),
                i + 1 < archive.size() ? Optional.of(archive.get(i + 1).name()) : Optional.empty());
    }

    /** A month's front archive pages, found around a post of one of them. */
    List<ArchivePage> monthPages(SiteState state, String month, PostEntry near) {
        if (!state.months().containsKey(month)) {
            return List.of();
        }
        return Listings.pagesNamed(state.listing(SiteState.FRONT), near.position(), month, parts);
    }

    /** The posts of a month's front archive pages, found around a post of one of them. */
    List<PostEntry> monthPosts(SiteState state, String month, PostEntry near) {
        List<ArchivePage> pages = monthPages(state, month, near);
        prefetch(pages);
        return posts(pages);
    }

    /** Reads ahead the posts of these pages, in as few requests as the packs allow. */
    void prefetch(List<ArchivePage> pages) {
        parts.prefetch(pages.stream().map(ArchivePage::ref).toList());
    }

    /** The posts of these pages, in order. */
    List<PostEntry> posts(List<ArchivePage> pages) {
        List<PostEntry> posts = new ArrayList<>();
        pages.forEach(page -> posts.addAll(parts.entries(page.ref())));
        return posts;
    }

    /** The slugs of every tag the state lists. */
    static List<String> tags(SiteState state) {
        return state.listings().keySet().stream().filter(id -> id.startsWith("tags/"))
                .map(id -> id.substring("tags/".length())).sorted().toList();
    }

    /** The month of an archive page, by its name. */
    static String month(ArchivePage page) {
        return SiteKeys.month(page.name());
    }
}
