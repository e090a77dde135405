package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.UrlPolicy;
import dev.postrenderer.render.HtmlEscaper;
import dev.postrenderer.render.ListingHead;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.ListingEdit.PageView;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The pages around the posts, each from just the posts it shows: the front page
 * ({@code index.html}), archive pages ({@code page/<name>/}), tag pages ({@code tags/<slug>/} and
 * their archive pages), the 404 page, the Atom feed, the sitemaps, {@code robots.txt} and the
 * favicon. One format, one writer each; output depends only on its inputs, never on the clock, so
 * equal inputs give equal bytes. Immutable and thread-safe.
 */
public final class SitePages {

    /** How many posts the feed carries. */
    public static final int FEED_SIZE = 50;
    /** The sitemap, or the sitemap index once the site has archive pages. */
    public static final String SITEMAP = "sitemap.xml";
    /** Where the sitemaps an index lists live. */
    public static final String SITEMAPS = "sitemaps/";

    private static final String HTML = "text/html; charset=utf-8";
    private static final String XML = "application/xml; charset=utf-8";
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    /** The namespace of the one element this site adds to Atom entries: the ETag of the page an entry is made from. */
    public static final String FEED_NAMESPACE = "https://post-renderer.dev/ns/feed";
    private static final String EPOCH = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            Instant.EPOCH.atOffset(ZoneOffset.UTC));

    private final RenderOptions options;
    private final PageLayout layout;

    public SitePages(RenderOptions options, PageLayout layout) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.layout = Objects.requireNonNull(layout, "layout == null");
    }

    public RenderOptions options() {
        return options;
    }

    // --- keys

    /** The key of an archive page of a listing. */
    public static String archiveKey(String listing, String name) {
        return (listing.isEmpty() ? "" : listing + "/") + "page/" + name + "/index.html";
    }

    /** The key of a listing's front page: {@code index.html} or {@code tags/<slug>/index.html}. */
    public static String frontKey(String listing) {
        return listing.isEmpty() ? "index.html" : listing + "/index.html";
    }

    /** The month an archive page belongs to in the sitemaps: its name's, {@code 2023-05} (or {@code undated}). */
    public static String month(String pageName) {
        return pageName.startsWith("undated") ? "undated" : pageName.substring(0, 7);
    }

    /** The key of the sitemap of a month's front archive pages. */
    public static String sitemapKey(String month) {
        return SITEMAPS + month + ".xml";
    }

    // --- HTML

    /** The front page: the introduction of {@code index.md}, then the newest posts. */
    public SitePage front(Optional<FrontPage> intro, PageView view) {
        String title = intro.flatMap(FrontPage::title).or(options::siteName).orElse("Home");
        Optional<String> description = intro.flatMap(FrontPage::description);
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        description.ifPresent(text -> page.put("description", text));
        intro.map(FrontPage::introHtml).filter(html -> !html.isBlank()).ifPresent(html -> page.put("introHtml", html));
        Map<String, Object> model = model(ListingHead.render(title, description, Optional.of(""), options, true),
                view.posts(), "");
        model.put("page", page);
        pagination(model, "", "", view);
        return html("index.html", layout.render("index", model));
    }

    /** A tag's front page. */
    public SitePage tag(String slug, String name, PageView view) {
        String listing = SiteState.tagListing(slug);
        String path = listing + "/";
        String title = "Posts tagged “" + name + "”";
        Map<String, Object> model = model(ListingHead.render(title, Optional.empty(), Optional.of(path), options, true),
                view.posts(), path);
        model.put("tag", Map.of("name", name, "slug", slug));
        pagination(model, listing, path, view);
        return html(frontKey(listing), layout.render("tag", model));
    }

    /**
     * An archive page of a listing.
     *
     * @param listing {@link SiteState#FRONT} or a tag's listing id
     * @param tagName the tag as authors spell it, for a tag's archive page
     */
    public SitePage archive(String listing, Optional<String> tagName, String name, PageView view) {
        String key = archiveKey(listing, name);
        String path = key.substring(0, key.length() - "index.html".length());
        String range = range(view.posts());
        String title = tagName.map(tag -> "Posts tagged “" + tag + "”: " + range).orElse(range);
        Map<String, Object> model = model(ListingHead.render(title, Optional.empty(), Optional.of(path), options, true),
                view.posts(), path);
        model.put("page", Map.of("title", title));
        tagName.ifPresent(tag -> model.put("tag", Map.of("name", tag, "slug", listing.substring("tags/".length()))));
        pagination(model, listing, path, view);
        return html(key, layout.render("archive", model));
    }

    /**
     * The page for a missing address. It lists no posts, so that publishing never has to rewrite
     * it; S3 and CloudFront serve it at any address, so its links are absolute paths.
     */
    public SitePage notFound() {
        Map<String, Object> model = model(ListingHead.render("Page not found", Optional.empty(), Optional.empty(),
                options, false), List.of(), null);
        return html("404.html", layout.render("404", model));
    }

    public SitePage robots() {
        StringBuilder text = new StringBuilder("User-agent: *\nAllow: /\n");
        options.siteUrl().ifPresent(site -> text.append("Sitemap: ").append(site).append("/").append(SITEMAP)
                .append('\n'));
        return new SitePage("robots.txt", "text/plain; charset=utf-8", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The site's initial on a rounded square, so browsers have an icon and never ask for a missing one. */
    public SitePage favicon() {
        String title = options.siteName().or(() -> options.siteUrl().map(url -> url.replaceFirst("^https?://", "")))
                .orElse("P");
        String initial = new String(Character.toChars(Character.toUpperCase(title.codePointAt(0))));
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
                + "<rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#0b57d0\"/>"
                + "<text x=\"32\" y=\"44\" font-family=\"system-ui, sans-serif\" font-size=\"36\" font-weight=\"700\""
                + " text-anchor=\"middle\" fill=\"#ffffff\">" + HtmlEscaper.escape(initial) + "</text></svg>\n";
        return new SitePage("favicon.svg", "image/svg+xml", svg.getBytes(StandardCharsets.UTF_8));
    }

    private void pagination(Map<String, Object> model, String listing, String from, PageView view) {
        if (view.newer().isEmpty() && view.older().isEmpty() && !isArchive(from)) {
            return;
        }
        Map<String, Object> pagination = new HashMap<>();
        if (isArchive(from)) {
            String newer = view.newer().map(name -> archivePath(listing, name))
                    .orElse(listing.isEmpty() ? "" : listing + "/");
            pagination.put("newer", SiteUrls.encodePath(SiteUrls.relative(from, newer)));
        }
        view.older().ifPresent(name -> pagination.put("older",
                SiteUrls.encodePath(SiteUrls.relative(from, archivePath(listing, name)))));
        model.put("pagination", pagination);
    }

    private static boolean isArchive(String from) {
        return from.startsWith("page/") || from.contains("/page/");
    }

    private static String archivePath(String listing, String name) {
        String key = archiveKey(listing, name);
        return key.substring(0, key.length() - "index.html".length());
    }

    /** "Posts from March 2, 2024 to March 18, 2024", in the site's language. */
    private String range(List<PostEntry> posts) {
        Optional<PostDate> newest = posts.isEmpty() ? Optional.empty() : posts.get(0).date();
        Optional<PostDate> oldest = posts.isEmpty() ? Optional.empty() : posts.get(posts.size() - 1).date();
        if (newest.isEmpty()) {
            return "Undated posts";
        }
        if (oldest.isEmpty()) {
            return "Posts up to " + display(newest.get()) + ", and undated posts";
        }
        String from = display(oldest.get());
        String to = display(newest.get());
        return from.equals(to) ? "Posts from " + to : "Posts from " + from + " to " + to;
    }

    /**
     * @param from the folder of the page links are relative to, or null for links from the root ({@code /x/})
     */
    private Map<String, Object> model(String head, List<PostEntry> posts, String from) {
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
        for (PostEntry post : posts) {
            list.add(card(post, from));
        }
        model.put("posts", list);
        model.put("hasPosts", !list.isEmpty());
        return model;
    }

    private Map<String, Object> card(PostEntry post, String from) {
        Map<String, Object> card = new HashMap<>();
        card.put("title", post.title());
        card.put("href", link(from, post.path()));
        post.description().ifPresent(text -> card.put("description", text));
        post.date().ifPresent(date -> card.put("date", Map.of("iso", date.iso(), "display", display(date))));
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

    private String display(PostDate date) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.forLanguageTag(options.siteLang()))
                .format(date.value());
    }

    private static SitePage html(String key, String html) {
        return new SitePage(key, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    // --- the feed

    /** The Atom feed of the newest posts, with their full content; empty without a site URL. */
    public Optional<SitePage> feed(List<FeedItem> items) {
        if (options.siteUrl().isEmpty()) {
            return Optional.empty();
        }
        String site = options.siteUrl().get();
        String name = options.siteName().orElse(site.replaceFirst("^https?://", ""));
        StringBuilder xml = new StringBuilder(16_384);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"").append(ATOM)
                .append("\" xmlns:pr=\"").append(FEED_NAMESPACE).append("\">\n");
        text(xml, "id", site + "/");
        text(xml, "title", name);
        text(xml, "updated", items.stream().map(FeedItem::updated).flatMap(Optional::stream).max(PostDate::compareTo)
                .map(PostDate::rfc3339).orElse(EPOCH));
        xml.append("<link rel=\"self\" type=\"application/atom+xml\" href=\"").append(XmlText.escape(site + "/feed.xml"))
                .append("\"/>\n");
        xml.append("<link rel=\"alternate\" type=\"text/html\" href=\"").append(XmlText.escape(site + "/"))
                .append("\"/>\n");
        xml.append("<author><name>").append(XmlText.escape(name)).append("</name></author>\n");
        text(xml, "generator", "post-renderer");
        for (FeedItem item : items) {
            String url = SiteUrls.absolute(site, item.path());
            xml.append("<entry>\n");
            text(xml, "id", url);
            text(xml, "title", item.title());
            xml.append("<link rel=\"alternate\" type=\"text/html\" href=\"").append(XmlText.escape(url)).append("\"/>\n");
            item.published().ifPresent(date -> text(xml, "published", date.rfc3339()));
            text(xml, "updated", item.updated().map(PostDate::rfc3339).orElse(EPOCH));
            for (String category : item.categories()) {
                xml.append("<category term=\"").append(XmlText.escape(category)).append("\"/>\n");
            }
            item.summary().ifPresent(summary -> text(xml, "summary", summary));
            text(xml, "pr:page", item.pageEtag());
            xml.append("<content type=\"html\" xml:base=\"").append(XmlText.escape(url)).append("\">")
                    .append(XmlText.escape(item.content())).append("</content>\n");
            xml.append("</entry>\n");
        }
        xml.append("</feed>\n");
        return Optional.of(new SitePage("feed.xml", "application/atom+xml; charset=utf-8",
                xml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The entries of a feed this class wrote, for the next batch to keep; an empty list for a
     * feed that cannot be read (it is then rebuilt).
     */
    public List<FeedItem> readFeed(byte[] feed) {
        if (options.siteUrl().isEmpty()) {
            return List.of();
        }
        String prefix = options.siteUrl().get() + "/";
        List<FeedItem> items = new ArrayList<>();
        try {
            XMLStreamReader xml = XmlInput.FACTORY.createXMLStreamReader(new ByteArrayInputStream(feed));
            Map<String, String> fields = null;
            List<String> categories = new ArrayList<>();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String element = xml.getLocalName();
                    if (element.equals("entry")) {
                        fields = new HashMap<>();
                        categories = new ArrayList<>();
                    } else if (fields != null && element.equals("category")) {
                        categories.add(xml.getAttributeValue(null, "term"));
                    } else if (fields != null && !element.equals("link")) {
                        String namespace = xml.getNamespaceURI();
                        fields.put(FEED_NAMESPACE.equals(namespace) ? "pr:" + element : element, xml.getElementText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("entry")
                        && fields != null) {
                    String id = fields.getOrDefault("id", "");
                    if (!id.startsWith(prefix) || !fields.containsKey("content")) {
                        return List.of();
                    }
                    Optional<String> path = SiteUrls.decodePath(id.substring(prefix.length()));
                    if (path.isEmpty()) {
                        return List.of();
                    }
                    items.add(new FeedItem(path.get(), fields.getOrDefault("title", ""),
                            Optional.ofNullable(fields.get("published")).flatMap(PostDate::parse),
                            Optional.ofNullable(fields.get("updated")).flatMap(PostDate::parse), categories,
                            Optional.ofNullable(fields.get("summary")), fields.get("content"),
                            fields.getOrDefault("pr:page", "")));
                    fields = null;
                }
            }
            return items;
        } catch (XMLStreamException | RuntimeException e) {
            return List.of();
        }
    }

    private static void text(StringBuilder xml, String element, String value) {
        xml.append('<').append(element).append('>').append(XmlText.escape(value)).append("</").append(element)
                .append(">\n");
    }

    // --- sitemaps

    /** The whole sitemap of a site without archive pages: the front page, every post and every tag. */
    public Optional<SitePage> sitemap(List<PostEntry> posts, Collection<String> tagSlugs) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            home(xml, site, posts);
            posts(xml, site, posts);
            tags(xml, site, tagSlugs);
            return xml(SITEMAP, xml.append("</urlset>\n"));
        });
    }

    /** Once the site has archive pages: the index of the sitemaps below, one per month of archive pages. */
    public Optional<SitePage> sitemapIndex(Collection<String> months) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = new StringBuilder(4096);
            xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            List<String> files = new ArrayList<>(List.of(SITEMAPS + "latest.xml", SITEMAPS + "tags.xml"));
            new TreeSet<>(months).forEach(month -> files.add(sitemapKey(month)));
            for (String file : files) {
                xml.append("<sitemap><loc>").append(XmlText.escape(SiteUrls.absolute(site, file)))
                        .append("</loc></sitemap>\n");
            }
            return xml(SITEMAP, xml.append("</sitemapindex>\n"));
        });
    }

    /** The front page and the posts on it. */
    public Optional<SitePage> sitemapLatest(List<PostEntry> posts) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            home(xml, site, posts);
            posts(xml, site, posts);
            return xml(SITEMAPS + "latest.xml", xml.append("</urlset>\n"));
        });
    }

    /** The posts of a month's front archive pages. */
    public Optional<SitePage> sitemapMonth(String month, List<PostEntry> posts) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            posts(xml, site, posts);
            return xml(sitemapKey(month), xml.append("</urlset>\n"));
        });
    }

    /** Every tag page. */
    public Optional<SitePage> sitemapTags(Collection<String> tagSlugs) {
        return options.siteUrl().map(site -> {
            StringBuilder xml = urlset();
            tags(xml, site, tagSlugs);
            return xml(SITEMAPS + "tags.xml", xml.append("</urlset>\n"));
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

    /** The JDK's StAX parser (about 100 classes), loaded only by a batch that reads a feed. */
    private static final class XmlInput {
        static final XMLInputFactory FACTORY = create();

        private static XMLInputFactory create() {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            return factory;
        }
    }
}
