package dev.postrenderer.site;

import java.util.List;
import java.util.Objects;

/**
 * What the site's state records about one listing (the front listing, or a tag's): its display
 * name, how many posts it holds, where the posts of its front page are stored, and its directory
 * of archive pages, newest first, in parts of at most {@value #DIRECTORY_PAGE}.
 *
 * @param name the tag as authors spell it; empty for the front listing
 * @param head where the posts of the front page are stored
 */
public record ListingMeta(String name, int posts, String head, List<DirectoryRef> directory) {

    /** The most archive pages one part of a directory holds. */
    public static final int DIRECTORY_PAGE = 64;

    public ListingMeta {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(head, "head == null");
        directory = List.copyOf(directory);
    }

    /** True when every post is on the front page. */
    public boolean hasArchive() {
        return !directory.isEmpty();
    }
}
