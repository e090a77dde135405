package dev.postrenderer.site;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.postrenderer.site.ListingEdit.PageChange;
import dev.postrenderer.site.ListingEdit.PageView;

/**
 * Applies a batch's removals and insertions to one listing, touching only the pages they land on
 * (see {@link Pagination} for why that is a bounded number): the front page's posts, the archive
 * pages whose posts change or whose cuts move, and their neighbours' links. Pages are loaded
 * through {@link Parts} only when needed, so a new post into a large listing reads nothing but
 * the front page's posts. Not thread-safe; one editor per listing per batch.
 */
public final class ListingEditor {

    /** Where the posts of pages and the parts of directories are read and new ones put. */
    public interface Parts {
        List<PostEntry> entries(String ref);

        List<ArchivePage> directory(String ref);

        /** Stores a page's posts; returns the ref to them. */
        String storeEntries(List<PostEntry> entries);

        /** Stores a part of a directory; returns the ref to it. */
        String storeDirectory(List<ArchivePage> pages);

        /** Reads the parts behind these refs ahead, together where the store can; by default, nothing ahead. */
        default void prefetch(Collection<String> refs) {
        }
    }

    private final String id;
    private final String name;
    private final Optional<ListingMeta> before;
    private final Parts parts;
    private final List<String> released = new ArrayList<>();
    private final List<String> retained = new ArrayList<>();
    private int delta;

    private ListingEditor(String id, String name, Optional<ListingMeta> before, Parts parts) {
        this.id = id;
        this.name = name;
        this.before = before;
        this.parts = parts;
    }

    /**
     * @param name       the listing's display name, for a listing that does not exist yet
     * @param removals   positions of posts to take out (an update removes the old position)
     * @param insertions posts to put in
     */
    public static ListingEdit apply(String id, String name, Optional<ListingMeta> before, Collection<Position> removals,
                                    Collection<PostEntry> insertions, Parts parts) {
        Objects.requireNonNull(before, "before == null");
        return new ListingEditor(id, name, before, parts).edit(removals, insertions);
    }

    private ListingEdit edit(Collection<Position> removals, Collection<PostEntry> insertions) {
        ArchiveDirectory oldArchive = new ArchiveDirectory(before.map(ListingMeta::directory).orElse(List.of()), parts);
        ArchiveDirectory archive = new ArchiveDirectory(before.map(ListingMeta::directory).orElse(List.of()), parts);
        List<PostEntry> oldHead = before.map(meta -> parts.entries(meta.head())).orElse(List.of());
        PageView frontBefore = new PageView(oldHead, Optional.empty(), oldArchive.nameAt(0));

        // where each change lands: -1 for the front page's region, else an archive page index
        TreeMap<Integer, Changes> byPage = new TreeMap<>(Collections.reverseOrder());
        for (Position removal : removals) {
            byPage.computeIfAbsent(archive.locate(removal), i -> new Changes()).removals.add(removal.path());
        }
        for (PostEntry insertion : insertions) {
            byPage.computeIfAbsent(archive.locate(insertion.position()), i -> new Changes()).insertions.add(insertion);
        }
        Changes headChanges = byPage.remove(-1);
        List<ArchiveDirectory.Splice> splices = new ArrayList<>();
        List<PostEntry> carry = recut(byPage, archive, splices);

        List<PostEntry> head = oldHead;
        boolean headTouched = headChanges != null || !carry.isEmpty();
        if (headTouched) {
            List<PostEntry> oldestFirst = new ArrayList<>(carry);
            oldestFirst.addAll(oldestFirst(applied(oldHead, headChanges)));
            head = newestFirst(oldestFirst);
        }
        Optional<List<PostEntry>> balanced = balance(head, archive, splices);
        head = balanced.orElse(head);
        headTouched |= balanced.isPresent();

        PageView frontAfter = new PageView(head, Optional.empty(), archive.nameAt(0));
        List<PageChange> changes = pageChanges(oldArchive, archive, splices);
        Optional<ListingMeta> meta = meta(head, headTouched, archive);
        released.addAll(archive.released());
        retained.addAll(archive.retained());
        return new ListingEdit(id, meta, frontBefore, frontAfter, changes, released, retained);
    }

    /**
     * Applies the changes aimed at archive pages, from the oldest affected page towards the newest,
     * cutting the posts again until the cuts meet the old ones; posts past the newest archive page
     * are carried into the front page's region.
     *
     * @return the posts carried into the front page's region, oldest first
     */
    private List<PostEntry> recut(TreeMap<Integer, Changes> byPage, ArchiveDirectory archive,
                                  List<ArchiveDirectory.Splice> splices) {
        List<PostEntry> carry = List.of();
        while (!byPage.isEmpty()) {
            int start = byPage.firstKey(); // the oldest affected archive page
            Pagination.Cutter cutter = new Pagination.Cutter();
            List<PostEntry> pending = new ArrayList<>();
            List<List<PostEntry>> cut = new ArrayList<>(); // oldest first
            int index = start;
            boolean intoHead = false;
            while (true) {
                Changes changes = byPage.remove(index);
                for (PostEntry entry : oldestFirst(applied(parts.entries(archive.get(index).ref()), changes))) {
                    pending.add(entry);
                    if (cutter.endsPageAfter(entry)) {
                        cut.add(pending);
                        pending = new ArrayList<>();
                    }
                }
                boolean aligned = pending.isEmpty();
                if (index == 0) {
                    intoHead = !aligned;
                    break;
                }
                if (aligned && !byPage.containsKey(index - 1)) {
                    break;
                }
                index--;
            }
            List<ArchivePage> replacement = new ArrayList<>();
            for (int i = cut.size() - 1; i >= 0; i--) {
                replacement.add(store(newestFirst(cut.get(i))));
            }
            splices.add(archive.splice(index, start + 1, replacement));
            if (intoHead) {
                carry = pending;
            }
        }
        return carry;
    }

    /**
     * The front page shows the newest pages until it holds {@link Pagination#FRONT_MIN} posts: closes
     * older pages into the archive, or takes archive pages back when posts were removed.
     *
     * @return the front page's posts, if they changed
     */
    private Optional<List<PostEntry>> balance(List<PostEntry> head, ArchiveDirectory archive,
                                              List<ArchiveDirectory.Splice> splices) {
        List<List<PostEntry>> headPages = Pagination.cut(head);
        List<Integer> sizes = new ArrayList<>();
        headPages.forEach(page -> sizes.add(page.size()));
        for (int i = 0; i < archive.size() && sizes.stream().mapToInt(Integer::intValue).sum() < Pagination.FRONT_MIN;
             i++) {
            sizes.add(archive.get(i).count());
        }
        int front = Pagination.frontPageCount(sizes);
        if (front < headPages.size()) {
            List<ArchivePage> closed = new ArrayList<>();
            for (List<PostEntry> page : headPages.subList(front, headPages.size())) {
                closed.add(store(page));
            }
            splices.add(archive.splice(0, 0, closed));
            return Optional.of(concat(headPages.subList(0, front)));
        }
        if (front > headPages.size()) {
            int taken = front - headPages.size();
            List<PostEntry> grown = new ArrayList<>(head);
            for (int i = 0; i < taken; i++) {
                grown.addAll(parts.entries(archive.get(i).ref()));
            }
            splices.add(archive.splice(0, taken, List.of()));
            return Optional.of(grown);
        }
        return Optional.empty();
    }

    private Optional<ListingMeta> meta(List<PostEntry> head, boolean headTouched, ArchiveDirectory archive) {
        if (head.isEmpty() && archive.size() == 0) {
            before.ifPresent(meta -> {
                released.add(meta.head());
                meta.directory().forEach(part -> released.add(part.ref()));
            });
            return Optional.empty();
        }
        String headRef = before.map(ListingMeta::head).orElse(null);
        if (headTouched || headRef == null) {
            if (headRef != null) {
                released.add(headRef);
            }
            headRef = parts.storeEntries(head);
        }
        int posts = before.map(ListingMeta::posts).orElse(0) + delta;
        String displayName = before.map(ListingMeta::name).orElse(name);
        return Optional.of(new ListingMeta(displayName, posts, headRef, archive.directory()));
    }

    private ArchivePage store(List<PostEntry> newestFirst) {
        PostEntry oldest = newestFirst.get(newestFirst.size() - 1);
        return new ArchivePage(Pagination.pageName(oldest), newestFirst.size(), newestFirst.get(0).position(),
                parts.storeEntries(newestFirst));
    }

    // --- what changed, for the pages to write

    private List<PageChange> pageChanges(ArchiveDirectory old, ArchiveDirectory now, List<ArchiveDirectory.Splice> splices) {
        // by name: the page as the old directory has it, and as the new one has it
        Map<String, ArchivePage> olds = new LinkedHashMap<>();
        Map<String, ArchivePage> news = new LinkedHashMap<>();
        for (ArchiveDirectory.Splice splice : splices) {
            splice.removed().forEach(page -> olds.put(page.name(), page));
            splice.inserted().forEach(page -> news.put(page.name(), page));
        }
        // a page whose neighbour appeared, went or was renamed has other links
        for (Map.Entry<ArchiveDirectory, Map<String, ArchivePage>> side : List.of(Map.entry(old, olds), Map.entry(now, news))) {
            ArchiveDirectory archive = side.getKey();
            for (ArchivePage page : List.copyOf(side.getValue().values())) {
                int index = archive.indexOf(page);
                for (int near : new int[] {index - 1, index + 1}) {
                    if (index >= 0 && near >= 0 && near < archive.size()) {
                        ArchivePage neighbour = archive.get(near);
                        side.getValue().putIfAbsent(neighbour.name(), neighbour);
                    }
                }
            }
        }
        Set<String> names = new LinkedHashSet<>(olds.keySet());
        names.addAll(news.keySet());
        List<PageChange> changes = new ArrayList<>();
        for (String page : names) {
            ArchivePage known = olds.containsKey(page) ? olds.get(page) : news.get(page);
            int was = old.indexOf(olds.getOrDefault(page, known));
            int is = now.indexOf(news.getOrDefault(page, known));
            Optional<PageView> before = was < 0 ? Optional.empty() : Optional.of(view(old, was));
            Optional<PageView> after = is < 0 ? Optional.empty() : Optional.of(view(now, is));
            if (!before.equals(after)) {
                changes.add(new PageChange(page, before, after));
            }
        }
        return changes;
    }

    private PageView view(ArchiveDirectory archive, int index) {
        return new PageView(parts.entries(archive.get(index).ref()), index == 0 ? Optional.empty()
                : Optional.of(archive.get(index - 1).name()), archive.nameAt(index + 1));
    }

    // --- posts

    /** Removals and insertions aimed at one page. */
    private static final class Changes {
        final Set<String> removals = new HashSet<>();
        final List<PostEntry> insertions = new ArrayList<>();
    }

    private List<PostEntry> applied(List<PostEntry> newestFirst, Changes changes) {
        if (changes == null) {
            return newestFirst;
        }
        Map<String, PostEntry> byKey = new HashMap<>();
        for (PostEntry entry : newestFirst) {
            if (!changes.removals.contains(entry.path())) {
                byKey.put(entry.path(), entry);
            }
        }
        changes.insertions.forEach(entry -> byKey.put(entry.path(), entry));
        List<PostEntry> result = new ArrayList<>(byKey.values());
        result.sort((a, b) -> a.position().compareTo(b.position()));
        delta += result.size() - newestFirst.size();
        return result;
    }

    private static List<PostEntry> oldestFirst(List<PostEntry> newestFirst) {
        List<PostEntry> copy = new ArrayList<>(newestFirst);
        Collections.reverse(copy);
        return copy;
    }

    private static List<PostEntry> newestFirst(List<PostEntry> oldestFirst) {
        return oldestFirst(oldestFirst);
    }

    private static List<PostEntry> concat(List<List<PostEntry>> pages) {
        List<PostEntry> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }

    // --- the directory, loaded part by part

}
