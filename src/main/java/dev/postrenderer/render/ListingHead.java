package dev.postrenderer.render;

import java.util.Optional;

/**
 * The {@code <head>} tags of a listing page (front page, tag page, 404): title, description,
 * canonical, Open Graph {@code website}, a Twitter summary card and the feed link. Values are
 * escaped for their context.
 */
public final class ListingHead {

    private ListingHead() {
    }

    /**
     * @param path the page's path from the site root, or empty for pages with no address of
     *             their own (the 404 page); no canonical then
     */
    public static String render(String title, Optional<String> description, Optional<String> path,
                                RenderOptions options, boolean indexable) {
        StringBuilder out = new StringBuilder(1024);
        out.append("<title>").append(HtmlEscaper.escape(HtmlEscaper.collapseWhitespace(title))).append("</title>\n");
        Optional<String> url = path.flatMap(p -> options.siteUrl().map(site -> SiteUrls.absolute(site, p)));
        url.ifPresent(u -> out.append("<link rel=\"canonical\" href=\"").append(HtmlEscaper.escape(u)).append("\">\n"));
        description.ifPresent(text -> meta(out, "name", "description", text));
        if (!indexable) {
            meta(out, "name", "robots", "noindex");
        }
        meta(out, "property", "og:type", "website");
        meta(out, "property", "og:title", title);
        description.ifPresent(text -> meta(out, "property", "og:description", text));
        url.ifPresent(u -> meta(out, "property", "og:url", u));
        options.siteName().ifPresent(name -> meta(out, "property", "og:site_name", name));
        meta(out, "name", "twitter:card", "summary");
        meta(out, "name", "twitter:title", title);
        out.append(feedLink(options));
        return out.toString();
    }

    /** The Atom feed's {@code <link rel="alternate">}, when the site URL is known (a feed needs absolute URLs). */
    static String feedLink(RenderOptions options) {
        return options.siteUrl().map(site -> "<link rel=\"alternate\" type=\"application/atom+xml\" title=\""
                + HtmlEscaper.escape(options.siteName().orElse("Feed")) + "\" href=\""
                + HtmlEscaper.escape(site + "/feed.xml") + "\">\n").orElse("");
    }

    private static void meta(StringBuilder out, String attribute, String key, String content) {
        out.append("<meta ").append(attribute).append("=\"").append(key).append("\" content=\"")
                .append(HtmlEscaper.escape(HtmlEscaper.collapseWhitespace(content))).append("\">\n");
    }
}
