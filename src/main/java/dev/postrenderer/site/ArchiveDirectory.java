package dev.postrenderer.site;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The archive pages of a listing, newest first, over the parts of its directory, each part loaded
 * when first needed; pages can be spliced in and out, and the result stored as new parts. It records
 * the refs a rewrite no longer uses and the refs its new parts use. Not thread-safe; one per edit.
 */
final class ArchiveDirectory {

    /** Archive pages replaced by others. */
    record Splice(List<ArchivePage> removed, List<ArchivePage> inserted) {
    }

    private final ListingEditor.Parts parts;
    private final List<String> released = new ArrayList<>();
    private final List<String> retained = new ArrayList<>();
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

    ArchiveDirectory(List<DirectoryRef> directory, ListingEditor.Parts parts) {
        this.parts = parts;
        directory.forEach(part -> slots.add(new Slot(part, null)));
    }

    /** Refs the rewritten directory no longer uses. */
    List<String> released() {
        return released;
    }

    /** Refs the rewritten directory's new parts use. */
    List<String> retained() {
        return retained;
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
