package dev.postrenderer.site;

/**
 * Where the pages derived from the site's state live in the site: the listings' front and archive
 * pages, the feed and the sitemaps. These keys are reserved: no source file may own one.
 */
public final class SiteKeys {

    /** The Atom feed. */
    public static final String FEED = "feed.xml";
    /** The sitemap, or the sitemap index once the site has archive pages. */
    public static final String SITEMAP = "sitemap.xml";
    /** Where the sitemaps an index lists live. */
    public static final String SITEMAPS = "sitemaps/";
    /** The sitemap of the front page's posts, once there is an index. */
    public static final String SITEMAP_LATEST = SITEMAPS + "latest.xml";
    /** The sitemap of the tag pages, once there is an index. */
    public static final String SITEMAP_TAGS = SITEMAPS + "tags.xml";

    private SiteKeys() {
    }

    /** The key of an archive page of a listing. */
    public static String archive(String listing, String name) {
        return (listing.isEmpty() ? "" : listing + "/") + "page/" + name + "/index.html";
    }

    /** The path of an archive page of a listing, from the site root: {@code tags/ai/page/2024-01-02-ab12/}. */
    public static String archivePath(String listing, String name) {
        String key = archive(listing, name);
        return key.substring(0, key.length() - "index.html".length());
    }

    /** The key of a listing's front page: {@code index.html} or {@code tags/<slug>/index.html}. */
    public static String front(String listing) {
        return listing.isEmpty() ? "index.html" : listing + "/index.html";
    }

    /** The month an archive page belongs to in the sitemaps: its name's, {@code 2023-05} (or {@code undated}). */
    public static String month(String pageName) {
        return pageName.startsWith("undated") ? "undated" : pageName.substring(0, 7);
    }

    /** The key of the sitemap of a month's front archive pages. */
    public static String sitemap(String month) {
        return SITEMAPS + month + ".xml";
    }
}
