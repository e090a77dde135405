package dev.postrenderer.site;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Questions about a listing as the state has it, answered by reading as few of its parts as they
 * need: where a post is, which parts an edit will read, a month's archive pages, the newest posts.
 */
public final class Listings {

    private Listings() {
    }

    /**
     * The entry at a position in a listing, if one is there: found from the front page's posts or
     * the one archive page the position falls in.
     */
    public static Optional<PostEntry> find(Optional<ListingMeta> meta, Position position, ListingEditor.Parts parts) {
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        ArchiveDirectory archive = new ArchiveDirectory(meta.get().directory(), parts);
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
                                        ListingEditor.Parts parts) {
        List<String> refs = new ArrayList<>();
        if (meta.isEmpty() || positions.isEmpty()) {
            return refs;
        }
        if (round == 0) {
            refs.add(meta.get().head());
            return refs;
        }
        List<DirectoryRef> directory = meta.get().directory();
        ArchiveDirectory archive = new ArchiveDirectory(directory, parts);
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
                                               ListingEditor.Parts parts) {
        List<ArchivePage> pages = new ArrayList<>();
        if (meta.isEmpty() || meta.get().directory().isEmpty()) {
            return pages;
        }
        ArchiveDirectory archive = new ArchiveDirectory(meta.get().directory(), parts);
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
    public static List<PostEntry> newest(Optional<ListingMeta> meta, int count, ListingEditor.Parts parts) {
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
    public static Optional<PostEntry> scan(Optional<ListingMeta> meta, String path, ListingEditor.Parts parts) {
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
}
