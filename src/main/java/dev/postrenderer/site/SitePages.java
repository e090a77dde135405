package dev.postrenderer.site;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.UrlPolicy;
import dev.postrenderer.render.HtmlEscaper;
import dev.postrenderer.render.ListingHead;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.render.ResponsiveImage;
import dev.postrenderer.render.SiteUrls;
import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.ListingEdit.PageView;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTML pages around the posts, each from just the posts it shows: the front page
 * ({@code index.html}), archive pages ({@code page/<name>/}), tag pages ({@code tags/<slug>/} and
 * their archive pages), the 404 page, and {@code robots.txt} and the favicon; the feed and the
 * sitemaps have writers of their own ({@link AtomFeed}, {@link Sitemaps}). Output depends only on
 * its inputs, never on the clock, so equal inputs give equal bytes. Immutable and thread-safe.
 */
public final class SitePages {

    private static final String HTML = "text/html; charset=utf-8";

    private final RenderOptions options;
    private final PageLayout layout;

    public SitePages(RenderOptions options, PageLayout layout) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.layout = Objects.requireNonNull(layout, "layout == null");
    }

    public RenderOptions options() {
        return options;
    }

    // --- HTML

    /** The front page: the introduction of {@code index.md}, then the newest posts. */
    public SitePage front(Optional<FrontPage> intro, PageView view) {
        String title = intro.flatMap(FrontPage::title).or(options::siteName).orElse("Home");
        Optional<String> description = intro.flatMap(FrontPage::description).or(options::siteDescription);
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        description.ifPresent(text -> page.put("description", text));
        intro.map(FrontPage::introHtml).filter(html -> !html.isBlank()).ifPresent(html -> page.put("introHtml", html));
        Map<String, Object> model = model(ListingHead.render(title, description, Optional.of(""), options, true),
                view.posts(), "");
        model.put("page", page);
        pagination(model, "", "", view);
        return html(SiteKeys.front(SiteState.FRONT), layout.render("index", model));
    }

    /** A tag's front page. */
    public SitePage tag(String slug, String name, PageView view) {
        String listing = SiteState.tagListing(slug);
        String path = listing + "/";
        String title = "Posts tagged “" + name + "”";
        Map<String, Object> model = model(ListingHead.render(title, Optional.of(tagDescription(name, "")), Optional.of(path),
                        options, true),
                view.posts(), path);
        model.put("tag", Map.of("name", name, "slug", slug));
        pagination(model, listing, path, view);
        return html(SiteKeys.front(listing), layout.render("tag", model));
    }

    /**
     * An archive page of a listing.
     *
     * @param listing {@link SiteState#FRONT} or a tag's listing id
     * @param tagName the tag as authors spell it, for a tag's archive page
     */
    public SitePage archive(String listing, Optional<String> tagName, String name, PageView view) {
        String key = SiteKeys.archive(listing, name);
        String path = key.substring(0, key.length() - "index.html".length());
        String range = range(view.posts());
        String title = tagName.map(tag -> "Posts tagged “" + tag + "”: " + range).orElse(range);
        Optional<String> description = Optional.of(tagName.map(tag -> tagDescription(tag, ", " + range))
                .orElseGet(() -> "Posts" + on() + ", " + range + "."));
        Map<String, Object> model = model(ListingHead.render(title, description, Optional.of(path), options, true),
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
        options.siteUrl().ifPresent(site -> text.append("Sitemap: ").append(site).append("/").append(SiteKeys.SITEMAP)
                .append('\n'));
        return new SitePage("robots.txt", "text/plain; charset=utf-8", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The site's initial on a rounded square, so browsers have an icon and never ask for a missing one. */
    public SitePage favicon() {
        String title = options.siteTitle().orElse("P");
        String initial = new String(Character.toChars(Character.toUpperCase(title.codePointAt(0))));
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
                + "<rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#0b57d0\"/>"
                + "<text x=\"32\" y=\"44\" font-family=\"system-ui, sans-serif\" font-size=\"36\" font-weight=\"700\""
                + " text-anchor=\"middle\" fill=\"#ffffff\">" + HtmlEscaper.escape(initial) + "</text></svg>\n";
        return new SitePage("favicon.svg", "image/svg+xml", svg.getBytes(StandardCharsets.UTF_8));
    }

    /** What search engines show for a tag's pages, which have no author's words of their own. */
    private String tagDescription(String tag, String range) {
        return "Posts tagged “" + tag + "”" + on() + range + ", newest first.";
    }

    private String on() {
        return options.siteTitle().map(name -> " on " + name).orElse("");
    }

    private void pagination(Map<String, Object> model, String listing, String from, PageView view) {
        if (view.newer().isEmpty() && view.older().isEmpty() && !isArchive(from)) {
            return;
        }
        Map<String, Object> pagination = new HashMap<>();
        if (isArchive(from)) {
            String newer = view.newer().map(name -> SiteKeys.archivePath(listing, name))
                    .orElse(listing.isEmpty() ? "" : listing + "/");
            pagination.put("newer", SiteUrls.encodePath(SiteUrls.relative(from, newer)));
        }
        view.older().ifPresent(name -> pagination.put("older",
                SiteUrls.encodePath(SiteUrls.relative(from, SiteKeys.archivePath(listing, name)))));
        model.put("pagination", pagination);
    }

    private static boolean isArchive(String from) {
        return from.startsWith("page/") || from.contains("/page/");
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
        site.put("title", options.siteTitle().orElse("Home"));
        options.siteName().ifPresent(name -> site.put("name", name));
        options.siteUrl().ifPresent(url -> site.put("url", url));
        site.put("root", from == null ? "/" : SiteUrls.relative(from, ""));
        site.put("feed", options.siteUrl().isPresent());
        Map<String, Object> model = new HashMap<>();
        model.put("lang", options.siteLang());
        model.put("head", head);
        model.put("site", site);
        List<Map<String, Object>> list = new ArrayList<>();
        boolean imageShown = false;
        for (PostEntry post : posts) {
            list.add(card(post, from, !imageShown));
            imageShown |= post.image().isPresent();
        }
        model.put("posts", list);
        model.put("hasPosts", !list.isEmpty());
        return model;
    }

    /** @param first true if no card above has an image: this one's is likely in view, so it loads at once */
    private Map<String, Object> card(PostEntry post, String from, boolean first) {
        Map<String, Object> card = new HashMap<>();
        card.put("title", post.title());
        card.put("href", link(from, post.path()));
        post.description().ifPresent(text -> card.put("description", text));
        post.date().ifPresent(date -> card.put("date", Map.of("iso", date.iso(), "display", display(date))));
        post.image().ifPresent(image -> {
            Map<String, Object> picture = new HashMap<>();
            if (UrlPolicy.hasSchemeOrHost(image)) {
                picture.put("src", image);
            } else {
                picture.putAll(ResponsiveImage.attributes(image, path -> link(from, path), post.imageFacts(),
                        OptionalInt.empty(), OptionalInt.empty(), ResponsiveImage.CARD));
            }
            picture.put("lazy", !first);
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

}
