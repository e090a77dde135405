package dev.postrenderer.publish;

import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.Listings;
import dev.postrenderer.site.Position;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a commit does to the listings: takes out the entries its changes replace or remove (from the
 * front listing and each of their tags'), puts in the new ones, and edits each listing touched once
 * (see {@link ListingEditor}), having read what the edits will read in as few requests as the
 * state's packs allow.
 */
final class ListingEdits {

    private ListingEdits() {
    }

    /** The edits of every listing the changes touch, by listing id, in id order. */
    static Map<String, ListingEdit> of(List<ResolvedChange> changes, SiteState before, ListingEditor.Parts parts) {
        Map<String, List<Position>> removals = new TreeMap<>();
        Map<String, List<PostEntry>> insertions = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (ResolvedChange change : changes) {
            List<PostEntry> unlisted = new ArrayList<>(change.displaced());
            change.listed().ifPresent(unlisted::add);
            for (PostEntry old : unlisted) {
                for (String id : listings(old)) {
                    removals.computeIfAbsent(id, listing -> new ArrayList<>()).add(old.position());
                }
            }
            change.entry().ifPresent(entry -> {
                insertions.computeIfAbsent(SiteState.FRONT, id -> new ArrayList<>()).add(entry);
                for (String tag : entry.tags()) {
                    String id = SiteState.tagListing(TagSlug.of(tag));
                    insertions.computeIfAbsent(id, key -> new ArrayList<>()).add(entry.card());
                    names.putIfAbsent(id, tag);
                }
            });
        }
        Set<String> ids = new TreeSet<>(removals.keySet());
        ids.addAll(insertions.keySet());
        prefetch(ids, removals, insertions, before, parts);
        Map<String, ListingEdit> edits = new LinkedHashMap<>();
        for (String id : ids) {
            edits.put(id, ListingEditor.apply(id, names.getOrDefault(id, ""), before.listing(id),
                    List.copyOf(new LinkedHashSet<>(removals.getOrDefault(id, List.of()))),
                    insertions.getOrDefault(id, List.of()), parts));
        }
        return edits;
    }

    /** The front listing and the listing of each of the entry's tags. */
    private static List<String> listings(PostEntry entry) {
        List<String> ids = new ArrayList<>(List.of(SiteState.FRONT));
        entry.tags().forEach(tag -> ids.add(SiteState.tagListing(TagSlug.of(tag))));
        return ids;
    }

    /** Reads ahead, in three rounds, what the edits will read: front pages, directory parts, archive pages. */
    private static void prefetch(Set<String> ids, Map<String, List<Position>> removals,
                                 Map<String, List<PostEntry>> insertions, SiteState before, ListingEditor.Parts parts) {
        for (int round = 0; round < 3; round++) {
            List<String> refs = new ArrayList<>();
            for (String id : ids) {
                List<Position> positions = new ArrayList<>(removals.getOrDefault(id, List.of()));
                insertions.getOrDefault(id, List.of()).forEach(entry -> positions.add(entry.position()));
                refs.addAll(Listings.partsFor(before.listing(id), positions, round, parts));
            }
            parts.prefetch(refs);
        }
    }
}
