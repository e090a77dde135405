package dev.postrenderer.site;

import java.util.Objects;

/**
 * A part of a listing's directory: up to {@link ListingMeta#DIRECTORY_PAGE} archive pages, the
 * position of the newest post they hold, the name of their newest page (so that the front page
 * can link to it without reading the part), and where the part is stored.
 */
public record DirectoryRef(String ref, Position newest, String first, int pages) {

    public DirectoryRef {
        Objects.requireNonNull(ref, "ref == null");
        Objects.requireNonNull(newest, "newest == null");
        Objects.requireNonNull(first, "first == null");
    }

    /** This part, stored elsewhere. */
    public DirectoryRef withRef(String other) {
        return new DirectoryRef(other, newest, first, pages);
    }
}
