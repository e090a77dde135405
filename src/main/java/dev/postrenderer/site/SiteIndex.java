package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.UrlPolicy;
import dev.postrenderer.render.ListingHead;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.render.TagSlug;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Everything derived from the manifest: {@code index.html} (newest first, posts without a date
 * after dated ones), {@code tags/<tag>/index.html}, {@code feed.xml} (Atom 1.0, full content,
 * newest {@value SiteManifest#FEED_SIZE}), {@code sitemap.xml}, {@code 404.html} and
 * {@code robots.txt}. The feed and the sitemap need absolute URLs, so they exist only when the
 * site URL is set. Output depends on the manifest's content only, never on its version or the
 * clock, so equal manifests give equal bytes. Immutable and thread-safe.
 */
public final class SiteIndex {

    /** Keys of the pages that do not depend on a tag. */
    public static final List<String> FIXED_PAGES = List.of("index.html", "404.html", "feed.xml", "sitemap.xml",
            "robots.txt", "favicon.svg");

    private static final String HTML = "text/html; charset=utf-8";
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private final RenderOptions options;
    private final PageLayout layout;

    public SiteIndex(RenderOptions options, PageLayout layout) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.layout = Objects.requireNonNull(layout, "layout == null");
    }

    /** The key of a tag's page. */
    public static String tagPage(String tag) {
        return "tags/" + TagSlug.of(tag) + "/index.html";
    }

    /** Every page of the site for a manifest: the fixed pages and one page per tag. */
    public Map<String, SitePage> pages(SiteManifest manifest) {
        Set<String> slugs = new TreeSet<>();
        manifest.posts().forEach(post -> post.tags().forEach(tag -> slugs.add(TagSlug.of(tag))));
        return pages(manifest, slugs);
    }

    /**
     * The fixed pages and the pages of the given tags (by slug); a tag no post has any more has
     * no page, and so is absent from the result.
     */
    public Map<String, SitePage> pages(SiteManifest manifest, Collection<String> tagSlugs) {
        List<ManifestEntry> posts = manifest.posts();
        Map<String, SitePage> pages = new LinkedHashMap<>();
        put(pages, html("index.html", frontPage(manifest, posts)));
        put(pages, html("404.html", notFound(posts)));
        options.siteUrl().ifPresent(site -> {
            put(pages, new SitePage("feed.xml", "application/atom+xml; charset=utf-8", feed(site, posts)));
            put(pages, new SitePage("sitemap.xml", "application/xml; charset=utf-8", sitemap(site, posts)));
        });
        put(pages, new SitePage("robots.txt", "text/plain; charset=utf-8", robots()));
        put(pages, new SitePage("favicon.svg", "image/svg+xml", favicon()));
        Map<String, List<ManifestEntry>> byTag = byTag(posts);
        for (String slug : new TreeSet<>(tagSlugs)) {
            List<ManifestEntry> tagged = byTag.get(slug);
            if (tagged != null) {
                String name = tagged.get(0).tags().stream().filter(tag -> TagSlug.of(tag).equals(slug)).findFirst()
                        .orElse(slug);
                put(pages, html("tags/" + slug + "/index.html", tagPage(slug, name, tagged)));
            }
        }
        return pages;
    }

    private String frontPage(SiteManifest manifest, List<ManifestEntry> posts) {
        String title = manifest.frontPage().flatMap(FrontPage::title).or(options::siteName).orElse("Home");
        Optional<String> description = manifest.frontPage().flatMap(FrontPage::description);
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        description.ifPresent(text -> page.put("description", text));
        manifest.frontPage().map(FrontPage::introHtml).filter(intro -> !intro.isBlank())
                .ifPresent(intro -> page.put("introHtml", intro));
        Map<String, Object> model = model(ListingHead.render(title, description, Optional.of(""), options, true),
                posts, "");
        model.put("page", page);
        return layout.render("index", model);
    }

    private String tagPage(String slug, String name, List<ManifestEntry> posts) {
        String path = "tags/" + slug + "/";
        String title = "Posts tagged “" + name + "”";
        Map<String, Object> model = model(ListingHead.render(title, Optional.empty(), Optional.of(path), options, true),
                posts, path);
        model.put("tag", Map.of("name", name, "slug", slug));
        return layout.render("tag", model);
    }

    /** S3 serves the 404 page at any missing address, so its links are absolute paths. */
    private String notFound(List<ManifestEntry> posts) {
        Map<String, Object> model = model(ListingHead.render("Page not found", Optional.empty(), Optional.empty(),
                options, false), posts.subList(0, Math.min(5, posts.size())), null);
        return layout.render("404", model);
    }

    /**
     * @param from the folder of the page links are relative to, or null for links from the root ({@code /x/})
     */
    private Map<String, Object> model(String head, List<ManifestEntry> posts, String from) {
        Map<String, Object> site = new HashMap<>();
        site.put("title", options.siteName().or(() -> options.siteUrl().map(url -> url.replaceFirst("^https?://", "")))
                .orElse("Home"));
        options.siteName().ifPresent(name -> site.put("name", name));
        options.siteUrl().ifPresent(url -> site.put("url", url));
        site.put("root", from == null ? "/" : SiteUrls.relative(from, ""));
        site.put("feed", options.siteUrl().isPresent());
        Map<String, Object> model = new HashMap<>();
        model.put("lang", options.siteLang());
        model.put("head", head);
        model.put("site", site);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ManifestEntry post : posts) {
            list.add(card(post, from));
        }
        model.put("posts", list);
        model.put("hasPosts", !list.isEmpty());
        return model;
    }

    private Map<String, Object> card(ManifestEntry post, String from) {
        Map<String, Object> card = new HashMap<>();
        card.put("title", post.title());
        card.put("href", link(from, post.path()));
        post.description().ifPresent(text -> card.put("description", text));
        post.date().ifPresent(date -> card.put("date", date(date)));
        post.image().ifPresent(image -> {
            Map<String, Object> picture = new HashMap<>();
            picture.put("src", UrlPolicy.hasSchemeOrHost(image) ? image : link(from, image));
            post.imageAlt().ifPresent(alt -> picture.put("alt", alt));
            card.put("image", picture);
        });
        card.put("tags", post.tags().stream().map(tag -> Map.of("name", tag, "url", link(from, "tags/" + TagSlug.of(tag)
                + "/"))).toList());
        return card;
    }

    private static String link(String from, String path) {
        return SiteUrls.encodePath(from == null ? "/" + path : SiteUrls.relative(from, path));
    }

    private Map<String, Object> date(PostDate date) {
        return Map.of("iso", date.iso(), "display", DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                .withLocale(Locale.forLanguageTag(options.siteLang())).format(date.value()));
    }

    private byte[] feed(String site, List<ManifestEntry> posts) {
        List<ManifestEntry> newest = posts.subList(0, Math.min(SiteManifest.FEED_SIZE, posts.size()));
        return xml(xml -> {
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(ATOM);
            text(xml, "id", site + "/");
            text(xml, "title", options.siteName().orElse(site.replaceFirst("^https?://", "")));
            text(xml, "updated", newest.stream().map(ManifestEntry::lastModified).flatMap(Optional::stream)
                    .max(PostDate::compareTo).map(PostDate::rfc3339).orElse(EPOCH));
            link(xml, "self", site + "/feed.xml", "application/atom+xml");
            link(xml, "alternate", site + "/", "text/html");
            xml.writeStartElement("author");
            text(xml, "name", options.siteName().orElse(site.replaceFirst("^https?://", "")));
            xml.writeEndElement();
            text(xml, "generator", "post-renderer");
            for (ManifestEntry post : newest) {
                String url = SiteUrls.absolute(site, post.path());
                xml.writeStartElement("entry");
                text(xml, "id", url);
                text(xml, "title", post.title());
                link(xml, "alternate", url, "text/html");
                text(xml, "published", post.date().map(PostDate::rfc3339).orElse(EPOCH));
                text(xml, "updated", post.lastModified().map(PostDate::rfc3339).orElse(EPOCH));
                for (String tag : post.tags()) {
                    xml.writeEmptyElement("category");
                    xml.writeAttribute("term", tag);
                }
                if (post.description().isPresent()) {
                    text(xml, "summary", post.description().get());
                }
                if (post.content().isPresent()) {
                    xml.writeStartElement("content");
                    xml.writeAttribute("type", "html");
                    xml.writeAttribute("xml:base", url);
                    xml.writeCharacters(post.content().get());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    private byte[] sitemap(String site, List<ManifestEntry> posts) {
        return xml(xml -> {
            xml.writeStartElement("urlset");
            xml.writeDefaultNamespace(SITEMAP);
            url(xml, site + "/", posts.stream().map(ManifestEntry::lastModified).flatMap(Optional::stream)
                    .max(PostDate::compareTo));
            for (ManifestEntry post : posts.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList()) {
                url(xml, SiteUrls.absolute(site, post.path()), post.lastModified());
            }
            Map<String, List<ManifestEntry>> byTag = byTag(posts);
            for (Map.Entry<String, List<ManifestEntry>> tag : byTag.entrySet()) {
                url(xml, SiteUrls.absolute(site, "tags/" + tag.getKey() + "/"), tag.getValue().stream()
                        .map(ManifestEntry::lastModified).flatMap(Optional::stream).max(PostDate::compareTo));
            }
            xml.writeEndElement();
        });
    }

    private byte[] robots() {
        StringBuilder text = new StringBuilder("User-agent: *\nAllow: /\n");
        options.siteUrl().ifPresent(site -> text.append("Sitemap: ").append(site).append("/sitemap.xml\n"));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The site's initial on a rounded square, so browsers have an icon and never ask for a missing one. */
    private byte[] favicon() {
        String title = options.siteName().or(() -> options.siteUrl().map(url -> url.replaceFirst("^https?://", "")))
                .orElse("P");
        String initial = new String(Character.toChars(Character.toUpperCase(title.codePointAt(0))));
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
                + "<rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#0b57d0\"/>"
                + "<text x=\"32\" y=\"44\" font-family=\"system-ui, sans-serif\" font-size=\"36\" font-weight=\"700\""
                + " text-anchor=\"middle\" fill=\"#ffffff\">" + dev.postrenderer.render.HtmlEscaper.escape(initial)
                + "</text></svg>\n";
        return svg.getBytes(StandardCharsets.UTF_8);
    }

    private static final String EPOCH = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            Instant.EPOCH.atOffset(ZoneOffset.UTC));

    private static Map<String, List<ManifestEntry>> byTag(List<ManifestEntry> posts) {
        Map<String, List<ManifestEntry>> byTag = new TreeMap<>();
        for (ManifestEntry post : posts) {
            for (String tag : post.tags()) {
                List<ManifestEntry> tagged = byTag.computeIfAbsent(TagSlug.of(tag), slug -> new ArrayList<>());
                if (!tagged.contains(post)) {
                    tagged.add(post);
                }
            }
        }
        return byTag;
    }

    private static void put(Map<String, SitePage> pages, SitePage page) {
        pages.put(page.key(), page);
    }

    private static SitePage html(String key, String html) {
        return new SitePage(key, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    private static void url(XMLStreamWriter xml, String loc, Optional<PostDate> lastModified) throws XMLStreamException {
        xml.writeStartElement("url");
        text(xml, "loc", loc);
        if (lastModified.isPresent()) {
            text(xml, "lastmod", lastModified.get().rfc3339());
        }
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String href, String type) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", href);
    }

    private static void text(XMLStreamWriter xml, String element, String value) throws XMLStreamException {
        xml.writeStartElement(element);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static byte[] xml(XmlBody body) {
        StringWriter out = new StringWriter(8192);
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            out.write('\n');
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
        out.write('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The elements of an XML document. */
    @FunctionalInterface
    private interface XmlBody {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }
}
