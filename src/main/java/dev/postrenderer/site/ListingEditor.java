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

    /**
     * The entry at a position in a listing, if one is there: found from the front page's posts or
     * the one archive page the position falls in.
     */
    public static Optional<PostEntry> find(Optional<ListingMeta> meta, Position position, Parts parts) {
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        ListingEditor editor = new ListingEditor("", "", meta, parts);
        Archive archive = editor.new Archive(meta.get().directory());
        int index = archive.locate(position);
        List<PostEntry> entries = index < 0 ? parts.entries(meta.get().head()) : parts.entries(archive.get(index).ref());
        return entries.stream().filter(entry -> entry.path().equals(position.path())).findFirst();
    }

    /**
     * The parts an edit at these positions will read next, so that a store can fetch them
     * together, in three rounds: the front page's posts first; then the parts of the directory
     * that positions older than the front page fall in; then the archive pages they fall in.
     * Positions on the front page need nothing beyond it.
     *
     * @param round 0, 1 or 2
     */
    public static List<String> partsFor(Optional<ListingMeta> meta, Collection<Position> positions, int round,
                                        Parts parts) {
        List<String> refs = new ArrayList<>();
        if (meta.isEmpty() || positions.isEmpty()) {
            return refs;
        }
        if (round == 0) {
            refs.add(meta.get().head());
            return refs;
        }
        List<DirectoryRef> directory = meta.get().directory();
        ListingEditor editor = new ListingEditor("", "", meta, parts);
        Archive archive = editor.new Archive(directory);
        for (Position position : positions) {
            if (directory.isEmpty() || position.compareTo(directory.get(0).newest()) < 0) {
                continue; // on the front page
            }
            if (round == 1) {
                DirectoryRef part = directory.get(0);
                for (DirectoryRef candidate : directory) {
                    if (candidate.newest().compareTo(position) <= 0) {
                        part = candidate;
                    }
                }
                refs.add(part.ref());
            } else {
                int index = archive.locate(position);
                for (int near = index - 1; near <= index + 1; near++) {
                    if (near >= 0 && near < archive.size()) {
                        refs.add(archive.get(near).ref());
                    }
                }
            }
        }
        return refs;
    }

    /**
     * The archive pages whose names begin with a prefix, around the page a position falls in:
     * pages are named after their oldest post, so a month's pages sit side by side.
     */
    public static List<ArchivePage> pagesNamed(Optional<ListingMeta> meta, Position near, String prefix,
                                               Parts parts) {
        List<ArchivePage> pages = new ArrayList<>();
        if (meta.isEmpty() || meta.get().directory().isEmpty()) {
            return pages;
        }
        ListingEditor editor = new ListingEditor("", "", meta, parts);
        Archive archive = editor.new Archive(meta.get().directory());
        int index = Math.max(0, archive.locate(near));
        int first = index;
        while (first > 0 && archive.get(first - 1).name().startsWith(prefix)) {
            first--;
        }
        while (first < archive.size() && !archive.get(first).name().startsWith(prefix) && first <= index + 1) {
            first++;
        }
        for (int i = first; i < archive.size() && archive.get(i).name().startsWith(prefix); i++) {
            pages.add(archive.get(i));
        }
        return pages;
    }

    /** The newest posts of a listing, at most {@code count}: the front page's, then archive pages' as needed. */
    public static List<PostEntry> newest(Optional<ListingMeta> meta, int count, Parts parts) {
        List<PostEntry> newest = new ArrayList<>();
        if (meta.isEmpty()) {
            return newest;
        }
        newest.addAll(parts.entries(meta.get().head()));
        for (DirectoryRef part : meta.get().directory()) {
            for (ArchivePage page : newest.size() >= count ? List.<ArchivePage>of() : parts.directory(part.ref())) {
                if (newest.size() < count) {
                    newest.addAll(parts.entries(page.ref()));
                }
            }
        }
        return newest.size() > count ? List.copyOf(newest.subList(0, count)) : newest;
    }

    /** The entry with this path anywhere in a listing: every page read, for when its position is not known. */
    public static Optional<PostEntry> scan(Optional<ListingMeta> meta, String path, Parts parts) {
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        List<PostEntry> head = parts.entries(meta.get().head());
        Optional<PostEntry> found = head.stream().filter(entry -> entry.path().equals(path)).findFirst();
        for (DirectoryRef part : meta.get().directory()) {
            for (ArchivePage page : found.isPresent() ? List.<ArchivePage>of() : parts.directory(part.ref())) {
                found = parts.entries(page.ref()).stream().filter(entry -> entry.path().equals(path)).findFirst();
                if (found.isPresent()) {
                    break;
                }
            }
        }
        return found;
    }

    private ListingEdit edit(Collection<Position> removals, Collection<PostEntry> insertions) {
        Archive oldArchive = new Archive(before.map(ListingMeta::directory).orElse(List.of()));
        Archive archive = new Archive(before.map(ListingMeta::directory).orElse(List.of()));
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

        List<Splice> splices = new ArrayList<>();
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
                List<PostEntry> oldestFirst = oldestFirst(applied(parts.entries(archive.get(index).ref()), changes));
                for (PostEntry entry : oldestFirst) {
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

        List<PostEntry> head = oldHead;
        boolean headTouched = headChanges != null || !carry.isEmpty();
        if (headTouched) {
            List<PostEntry> oldestFirst = new ArrayList<>(carry);
            oldestFirst.addAll(oldestFirst(applied(oldHead, headChanges)));
            head = newestFirst(oldestFirst);
        }
        // the front page shows the newest pages until it holds FRONT_MIN posts: close older
        // pages into the archive, or take archive pages back when posts were removed
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
            head = concat(headPages.subList(0, front));
            headTouched = true;
        } else if (front > headPages.size()) {
            int taken = front - headPages.size();
            List<PostEntry> grown = new ArrayList<>(head);
            for (int i = 0; i < taken; i++) {
                grown.addAll(parts.entries(archive.get(i).ref()));
            }
            splices.add(archive.splice(0, taken, List.of()));
            head = grown;
            headTouched = true;
        }

        PageView frontAfter = new PageView(head, Optional.empty(), archive.nameAt(0));
        List<PageChange> changes = pageChanges(oldArchive, archive, splices);
        Optional<ListingMeta> meta = meta(head, headTouched, archive);
        return new ListingEdit(id, meta, frontBefore, frontAfter, changes, released, retained);
    }

    private Optional<ListingMeta> meta(List<PostEntry> head, boolean headTouched, Archive archive) {
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

    private List<PageChange> pageChanges(Archive old, Archive now, List<Splice> splices) {
        // by name: the page as the old directory has it, and as the new one has it
        Map<String, ArchivePage> olds = new LinkedHashMap<>();
        Map<String, ArchivePage> news = new LinkedHashMap<>();
        for (Splice splice : splices) {
            splice.removed().forEach(page -> olds.put(page.name(), page));
            splice.inserted().forEach(page -> news.put(page.name(), page));
        }
        // a page whose neighbour appeared, went or was renamed has other links
        for (Map.Entry<Archive, Map<String, ArchivePage>> side : List.of(Map.entry(old, olds), Map.entry(now, news))) {
            Archive archive = side.getKey();
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

    private PageView view(Archive archive, int index) {
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

    /** Archive pages replaced by others. */
    private record Splice(List<ArchivePage> removed, List<ArchivePage> inserted) {
    }

    /** The archive pages of a listing, newest first, over the parts of its directory, loaded when first needed. */
    private final class Archive {
        private final List<Slot> slots = new ArrayList<>();

        /** A part of the directory: as stored (ref set, pages loaded lazily), or rewritten (ref null). */
        private final class Slot {
            final DirectoryRef ref;
            List<ArchivePage> pages;

            Slot(DirectoryRef ref, List<ArchivePage> pages) {
                this.ref = ref;
                this.pages = pages;
            }

            int size() {
                return pages != null ? pages.size() : ref.pages();
            }

            List<ArchivePage> pages() {
                if (pages == null) {
                    pages = parts.directory(ref.ref());
                }
                return pages;
            }
        }

        Archive(List<DirectoryRef> directory) {
            directory.forEach(part -> slots.add(new Slot(part, null)));
        }

        int size() {
            int size = 0;
            for (Slot slot : slots) {
                size += slot.size();
            }
            return size;
        }

        ArchivePage get(int index) {
            int offset = index;
            for (Slot slot : slots) {
                if (offset < slot.size()) {
                    return slot.pages().get(offset);
                }
                offset -= slot.size();
            }
            throw new IndexOutOfBoundsException(index);
        }

        Optional<String> nameAt(int index) {
            if (index == 0 && !slots.isEmpty() && slots.get(0).pages == null) {
                return Optional.of(slots.get(0).ref.first()); // known without reading the part
            }
            return index < size() ? Optional.of(get(index).name()) : Optional.empty();
        }

        /** The index of a page with this name at this page's position, or -1 if there is none. */
        int indexOf(ArchivePage page) {
            int index = locate(page.newest());
            return index >= 0 && get(index).name().equals(page.name()) ? index : -1;
        }

        /** The index of the archive page a position falls in, or -1 for the front page's region. */
        int locate(Position position) {
            int base = 0;
            int chosen = -1;
            int chosenBase = 0;
            for (int s = 0; s < slots.size(); s++) {
                Slot slot = slots.get(s);
                Position newest = slot.pages != null ? (slot.pages.isEmpty() ? null : slot.pages.get(0).newest())
                        : slot.ref.newest();
                if (newest != null && newest.compareTo(position) <= 0) {
                    chosen = s;
                    chosenBase = base;
                }
                base += slot.size();
            }
            if (chosen < 0) {
                return -1;
            }
            List<ArchivePage> pages = slots.get(chosen).pages();
            int found = 0;
            for (int i = 0; i < pages.size(); i++) {
                if (pages.get(i).newest().compareTo(position) <= 0) {
                    found = i;
                }
            }
            return chosenBase + found;
        }

        /** Replaces pages [from, to) with others, merging the parts they were in into one rewritten part. */
        Splice splice(int from, int to, List<ArchivePage> replacement) {
            int base = 0;
            int first = -1;
            int last = -1;
            int firstBase = 0;
            for (int s = 0; s < slots.size(); s++) {
                int size = slots.get(s).size();
                boolean covers = from < base + size && to > base; // overlaps [from, to)
                boolean at = from == to && from >= base && from <= base + size && first < 0;
                if (covers || at) {
                    if (first < 0) {
                        first = s;
                        firstBase = base;
                    }
                    last = s;
                }
                base += size;
            }
            List<ArchivePage> merged = new ArrayList<>();
            if (first < 0) {
                first = slots.size();
                last = first - 1;
                firstBase = base;
            }
            for (int s = first; s <= last; s++) {
                Slot slot = slots.get(s);
                if (slot.ref != null) {
                    released.add(slot.ref.ref());
                    slot.pages().forEach(page -> released.add(page.ref()));
                }
                merged.addAll(slot.pages());
            }
            List<ArchivePage> spliced = new ArrayList<>(merged.subList(0, from - firstBase));
            spliced.addAll(replacement);
            spliced.addAll(merged.subList(to - firstBase, merged.size()));
            for (int s = last; s >= first; s--) {
                slots.remove(s);
            }
            slots.add(first, new Slot(null, spliced));
            return new Splice(List.copyOf(merged.subList(from - firstBase, to - firstBase)), List.copyOf(replacement));
        }

        /** The directory as refs, storing every rewritten part (split to at most DIRECTORY_PAGE pages). */
        List<DirectoryRef> directory() {
            List<DirectoryRef> directory = new ArrayList<>();
            for (Slot slot : slots) {
                if (slot.ref != null) {
                    directory.add(slot.ref);
                    continue;
                }
                List<ArchivePage> pages = slot.pages;
                int pieces = (pages.size() + ListingMeta.DIRECTORY_PAGE - 1) / ListingMeta.DIRECTORY_PAGE;
                for (int p = 0; p < pieces; p++) {
                    List<ArchivePage> piece = pages.subList(p * pages.size() / pieces, (p + 1) * pages.size() / pieces);
                    piece.forEach(page -> retained.add(page.ref()));
                    directory.add(new DirectoryRef(parts.storeDirectory(piece), piece.get(0).newest(),
                            piece.get(0).name(), piece.size()));
                }
            }
            return directory;
        }
    }

}
