package dev.postrenderer.site;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a listing (the front page, a tag) is cut into pages, so that publishing a post rewrites a
 * bounded number of them and every page holds at most {@value #PAGE_MAX} posts.
 *
 * <p>DESIGN. Pages are cut from the oldest post towards the newest, as content-defined chunks:
 * a page ends after a post when it holds at least {@value #PAGE_MIN} posts and the post's key
 * hashes to a multiple of {@value #BOUNDARY}, or when it holds {@value #PAGE_MAX}. The cut depends
 * only on the posts, never on the order they arrived in, so a folder rendered at once and a bucket
 * built batch by batch get the same pages; and a change only moves the cuts of its own page and,
 * rarely, of the next few, until a cut falls where it fell before. A new post, the newest, only
 * ever changes the newest page. The front page shows the newest pages until it holds at least
 * {@value #FRONT_MIN} posts (so at most {@code FRONT_MIN - 1 + PAGE_MAX}); every older page is an
 * archive page named after its oldest post ({@code 2023-05-17-1a2b3c4d}), a name that does not
 * change when newer posts arrive. Pure and thread-safe.
 */
public final class Pagination {

    /** The front page shows the newest pages until it holds at least this many posts. */
    public static final int FRONT_MIN = 20;
    /** A page ends at a natural cut only once it holds this many posts. */
    public static final int PAGE_MIN = 10;
    /** No page holds more posts than this. */
    public static final int PAGE_MAX = 30;
    /** One post in this many is a natural cut. */
    public static final int BOUNDARY = 10;

    private Pagination() {
    }

    /**
     * Cuts posts into pages. The oldest post must begin a page (the oldest post of a listing
     * does, and so does the first post after any cut).
     *
     * @param newestFirst posts in listing order
     * @return the pages, newest first, each newest first; the newest may still be open
     */
    public static List<List<PostEntry>> cut(List<PostEntry> newestFirst) {
        List<List<PostEntry>> pages = new ArrayList<>();
        Cutter cutter = new Cutter();
        List<PostEntry> page = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            PostEntry entry = newestFirst.get(i);
            page.add(entry);
            if (cutter.endsPageAfter(entry)) {
                pages.add(reversed(page));
                page = new ArrayList<>();
            }
        }
        if (!page.isEmpty()) {
            pages.add(reversed(page));
        }
        Collections.reverse(pages);
        return pages;
    }

    /** How many of the newest pages the front page shows. */
    public static int frontPageCount(List<Integer> pageSizesNewestFirst) {
        int posts = 0;
        int pages = 0;
        for (int size : pageSizesNewestFirst) {
            if (posts >= FRONT_MIN) {
                break;
            }
            posts += size;
            pages++;
        }
        return pages;
    }

    /** The name of the page whose oldest post this is: its date and a digest of its key. */
    public static String pageName(PostEntry oldest) {
        String day = oldest.date().map(date -> date.value().toLocalDate().toString()).orElse("undated");
        byte[] digest = digest(oldest.key());
        return day + "-" + String.format("%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
    }

    /** True for the posts where a page may end: one in {@value #BOUNDARY}, by a digest of the key. */
    static boolean natural(PostEntry entry) {
        byte[] digest = digest(entry.key());
        long value = ((digest[4] & 0xFFL) << 24) | ((digest[5] & 0xFFL) << 16) | ((digest[6] & 0xFFL) << 8)
                | (digest[7] & 0xFFL);
        return value % BOUNDARY == 0;
    }

    /** Walks posts from the oldest to the newest and says where pages end. */
    public static final class Cutter {
        private int count;

        /** Adds the next newer post; true if the page ends after it. */
        public boolean endsPageAfter(PostEntry entry) {
            count++;
            if (count >= PAGE_MAX || (count >= PAGE_MIN && natural(entry))) {
                count = 0;
                return true;
            }
            return false;
        }
    }

    private static List<PostEntry> reversed(List<PostEntry> oldestFirst) {
        List<PostEntry> copy = new ArrayList<>(oldestFirst);
        Collections.reverse(copy);
        return List.copyOf(copy);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
