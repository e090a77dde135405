package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.SiteUrls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The sitemaps: one file while every post is on the front page; once there are archive pages, an
 * index of {@code sitemaps/latest.xml} (the front page's posts), {@code sitemaps/tags.xml} and one
 * file per month of archive pages, so that a change rewrites the few files of its months and the
 * index only when a month appears or goes. None without a site URL: sitemaps need absolute URLs.
 * Output depends only on its inputs. Immutable and thread-safe.
 */
public final class Sitemaps {

    private static final String XML = "application/xml; charset=utf-8";

    private final RenderOptions options;

    public Sitemaps(RenderOptions options) {
        this.options = Objects.requireNonNull(options, "options == null");
    }

    /** True if the site has sitemaps: they need absolute URLs, so a site URL. */
    public boolean enabled() {
        return options.siteUrl().isPresent();
    }

    /** The whole sitemap of a site without archive pages: the front page, every post and every tag. */
    public Optional<SitePage> sitemap(List<PostEntry> posts, Collection<String> tagSlugs) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            home(xml, site, posts);
            posts(xml, site, posts);
            tags(xml, site, tagSlugs);
            return xml(SiteKeys.SITEMAP, xml.append("</urlset>\n"));
        });
    }

    /** Once the site has archive pages: the index of the sitemaps below, one per month of archive pages. */
    public Optional<SitePage> index(Collection<String> months) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = new StringBuilder(4096);
            xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            List<String> files = new ArrayList<>(List.of(SiteKeys.SITEMAP_LATEST, SiteKeys.SITEMAP_TAGS));
            new TreeSet<>(months).forEach(month -> files.add(SiteKeys.sitemap(month)));
            for (String file : files) {
                xml.append("<sitemap><loc>").append(XmlText.escape(SiteUrls.absolute(site, file)))
                        .append("</loc></sitemap>\n");
            }
            return xml(SiteKeys.SITEMAP, xml.append("</sitemapindex>\n"));
        });
    }

    /** The front page and the posts on it. */
    public Optional<SitePage> latest(List<PostEntry> posts) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            home(xml, site, posts);
            posts(xml, site, posts);
            return xml(SiteKeys.SITEMAP_LATEST, xml.append("</urlset>\n"));
        });
    }

    /** The posts of a month's front archive pages. */
    public Optional<SitePage> month(String month, List<PostEntry> posts) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            posts(xml, site, posts);
            return xml(SiteKeys.sitemap(month), xml.append("</urlset>\n"));
        });
    }

    /** Every tag page. */
    public Optional<SitePage> tags(Collection<String> tagSlugs) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            tags(xml, site, tagSlugs);
            return xml(SiteKeys.SITEMAP_TAGS, xml.append("</urlset>\n"));
        });
    }

    private static StringBuilder urlset() {
        return new StringBuilder(8192).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    }

    private static void home(StringBuilder xml, String site, List<PostEntry> newest) {
        url(xml, site + "/", newest.stream().map(PostEntry::lastModified).flatMap(Optional::stream)
                .max(PostDate::compareTo));
    }

    private static void posts(StringBuilder xml, String site, List<PostEntry> posts) {
        posts.stream().sorted((a, b) -> a.path().compareTo(b.path()))
                .forEach(post -> url(xml, SiteUrls.absolute(site, post.path()), post.lastModified()));
    }

    private static void tags(StringBuilder xml, String site, Collection<String> tagSlugs) {
        new TreeSet<>(tagSlugs).forEach(slug -> url(xml, SiteUrls.absolute(site, "tags/" + slug + "/"),
                Optional.empty()));
    }

    private static void url(StringBuilder xml, String loc, Optional<PostDate> lastModified) {
        xml.append("<url><loc>").append(XmlText.escape(loc)).append("</loc>");
        lastModified.ifPresent(date -> xml.append("<lastmod>").append(date.rfc3339()).append("</lastmod>"));
        xml.append("</url>\n");
    }

    private static SitePage xml(String key, StringBuilder xml) {
        return new SitePage(key, XML, xml.toString().getBytes(StandardCharsets.UTF_8));
    }
}
