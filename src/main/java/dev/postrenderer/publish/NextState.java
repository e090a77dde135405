package dev.postrenderer.publish;

import dev.postrenderer.site.FeedRef;
import dev.postrenderer.site.Fence;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.Listings;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteKeys;
import dev.postrenderer.site.SiteState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state a commit proposes, from the state before and the commit's listing edits: the listings'
 * records, the introduction, the layouts, the recent fences, the posts of the feed, and how many
 * archive pages each month has (which names the sitemaps). A pure function of its inputs and the
 * parts it reads.
 *
 * @param intro       the introduction's change, if the batch changes it
 * @param layouts     the fingerprint of the layouts the batch rendered with
 * @param feedEntries how many posts the feed holds
 * @param now         when the commit happens, for fences, in epoch milliseconds
 */
record NextState(Optional<IntroChange> intro, String layouts, int feedEntries, long now) {

    /** A change to the front page's introduction: to this page, or to none (the root {@code index.md} went). */
    record IntroChange(Optional<FrontPage> page) {
        IntroChange {
            Objects.requireNonNull(page, "page == null");
        }
    }

    NextState {
        Objects.requireNonNull(intro, "intro == null");
        Objects.requireNonNull(layouts, "layouts == null");
    }

    /** The state to commit. */
    SiteState build(SiteState before, Map<String, ListingEdit> edits, List<ResolvedChange> changes,
                    ListingEditor.Parts parts) {
        SiteState.Builder next = before.toBuilder();
        edits.forEach((id, edit) -> next.listing(id, edit.meta()));
        intro.ifPresent(change -> next.frontPage(change.page()));
        next.layouts(layouts);
        next.fences(fences(before, changes));
        next.feed(feed(before, changes, edits, parts));
        next.months(months(before, edits.get(SiteState.FRONT)));
        return next.build();
    }

    /** True if the proposed state says anything the state before does not: else there is nothing to commit. */
    static boolean changes(SiteState before, SiteState proposed, Map<String, ListingEdit> edits) {
        return !edits.values().stream().allMatch(ListingEdit::unchanged)
                || edits.values().stream().anyMatch(edit -> !edit.meta().equals(before.listing(edit.id())))
                || !proposed.frontPage().equals(before.frontPage())
                || !proposed.layouts().equals(before.layouts())
                || !proposed.fences().equals(before.fences())
                || !proposed.feed().equals(before.feed())
                || !proposed.months().equals(before.months());
    }

    /** The fences younger than their lifetime, and one for each page the commit replaces or removes. */
    private List<Fence> fences(SiteState before, List<ResolvedChange> changes) {
        List<Fence> fences = new ArrayList<>();
        for (Fence fence : before.fences()) {
            if (now - fence.at() < SiteState.FENCE_MILLIS) {
                fences.add(fence);
            }
        }
        for (ResolvedChange change : changes) {
            if (change.fence()) {
                SourceChange source = change.outcome().change();
                fences.removeIf(fence -> fence.key().equals(source.key()));
                fences.add(new Fence(source.key(), source.sequencer(), change.entry().isEmpty(), now));
            }
        }
        return fences;
    }

    /**
     * The posts of the feed after the commit: the newest of what the feed had and what the commit
     * lists; when removals leave fewer than the feed holds, the next posts of the front listing.
     */
    private List<FeedRef> feed(SiteState before, List<ResolvedChange> changes, Map<String, ListingEdit> edits,
                               ListingEditor.Parts parts) {
        Map<String, FeedRef> window = new LinkedHashMap<>();
        before.feed().forEach(item -> window.put(item.path(), item));
        changes.forEach(change -> change.listed().ifPresent(old -> window.remove(old.path())));
        changes.forEach(change -> change.entry().ifPresent(entry -> window.put(entry.path(), FeedRef.of(entry))));
        Optional<ListingMeta> front = Optional.ofNullable(edits.get(SiteState.FRONT)).map(ListingEdit::meta)
                .orElse(before.listing(SiteState.FRONT));
        int listed = front.map(ListingMeta::posts).orElse(0);
        if (window.size() < Math.min(feedEntries, listed)) {
            // removals opened the window: the next posts of the listing move in
            for (PostEntry entry : Listings.newest(front, feedEntries, parts)) {
                window.putIfAbsent(entry.path(), FeedRef.of(entry));
            }
        }
        List<FeedRef> newest = new ArrayList<>(window.values());
        newest.sort((a, b) -> a.position().compareTo(b.position()));
        return List.copyOf(newest.subList(0, Math.min(feedEntries, newest.size())));
    }

    /** How many front archive pages each month has, after the pages the front listing's edit added and removed. */
    private static SortedMap<String, Integer> months(SiteState before, ListingEdit front) {
        SortedMap<String, Integer> months = new TreeMap<>(before.months());
        if (front != null) {
            for (ListingEdit.PageChange change : front.archive()) {
                int delta = (change.after().isPresent() ? 1 : 0) - (change.before().isPresent() ? 1 : 0);
                if (delta != 0) {
                    months.merge(SiteKeys.month(change.name()), delta, Integer::sum);
                    months.remove(SiteKeys.month(change.name()), 0);
                }
            }
        }
        return months;
    }
}
