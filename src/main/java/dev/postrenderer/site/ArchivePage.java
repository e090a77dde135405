package dev.postrenderer.site;

import java.util.Objects;

/**
 * A page of a listing that is not on its front page, as the listing's directory records it: its
 * name, how many posts it holds, the position of its newest post (which locates the page), and
 * where its posts are stored.
 *
 * @param ref where the store keeps the page's posts; opaque to the core
 */
public record ArchivePage(String name, int count, Position newest, String ref) {

    public ArchivePage {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(newest, "newest == null");
        Objects.requireNonNull(ref, "ref == null");
        if (count <= 0) {
            throw new IllegalArgumentException("an archive page holds posts: " + count);
        }
    }

    /** This page, stored elsewhere. */
    public ArchivePage withRef(String other) {
        return new ArchivePage(name, count, newest, other);
    }
}
