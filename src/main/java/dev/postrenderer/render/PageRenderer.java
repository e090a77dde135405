package dev.postrenderer.render;

import dev.postrenderer.image.PublishedImage;
import dev.postrenderer.post.Author;
import dev.postrenderer.post.FrontMatter;
import dev.postrenderer.post.Image;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.SourceKey;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders a {@link Post} into its complete page: markdown body, derived {@code <head>}, layout.
 *
 * <p>The title is {@code head.title}, else {@code title}, else the first level-one heading, else
 * the file name; the description is {@code head.description}, else {@code description}, else the
 * first paragraph cut near 160 characters. Immutable and thread-safe: build one per process.
 */
public final class PageRenderer {

    private static final Map<Locale, DateTimeFormatter> DISPLAY_DATES = new java.util.concurrent.ConcurrentHashMap<>();

    private final RenderOptions options;
    private final MarkdownRenderer markdown;
    private final PageLayout layout;
    private final String version;
    private final String siteTitle;

    public PageRenderer(RenderOptions options) {
        this(options, PageLayout.bundled());
    }

    public PageRenderer(RenderOptions options, PageLayout layout) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.layout = Objects.requireNonNull(layout, "layout == null");
        this.markdown = new MarkdownRenderer(options.rawHtml());
        this.version = RendererVersion.of(options, layout);
        this.siteTitle = options.siteTitle().orElse("Home");
    }

    /**
     * What produced a page: the release plus a digest of the settings and layouts. A page
     * rendered by another version is rendered again even if its source has not changed.
     */
    public String version() {
        return version;
    }

    /** The options pages are rendered with. */
    public RenderOptions options() {
        return options;
    }

    /** Renders a post knowing none of the site's images; the caller decides whether a draft should be published at all. */
    public RenderedPage render(Post post) {
        return render(post, ImageLookup.NONE);
    }

    /**
     * Renders a post; the caller decides whether a draft should be published at all.
     *
     * @param images the site's published images, which give the post's images their sizes and variants
     */
    public RenderedPage render(Post post, ImageLookup images) {
        SourceKey source = post.source();
        FrontMatter front = post.frontMatter();
        ImageLookup known = once(images);
        RenderedBody body = markdown.render(post.body(), source, post.bodyLine(), known);

        String title = front.head().title().or(front::title).or(body::firstHeading).orElseGet(source::fileTitle);
        Optional<String> description = front.head().description().or(front::description).or(body::firstParagraph);
        String lang = front.lang().orElse(options.siteLang());
        String pagePath = source.pagePath();
        Optional<String> pageUrl = options.siteUrl().map(url -> SiteUrls.absolute(url, pagePath));
        Optional<PageImage> image = front.head().image().or(front::image).or(() -> front.img().map(Image::of))
                .flatMap(picture -> PageImage.of(picture, options.siteUrl()))
                .map(picture -> published(picture, known).map(found -> picture.with(found, options.siteUrl()))
                        .orElse(picture));
        String head = new HeadTags(front, options, lang).render(title, description, pageUrl, image);
        String titleHtml = body.titleHtml().orElseGet(() -> "<h1>" + HtmlEscaper.escape(title) + "</h1>");

        Locale locale = Locale.forLanguageTag(lang);
        Map<String, Object> page = new HashMap<>();
        page.put("title", title);
        page.put("titleHtml", titleHtml);
        description.ifPresent(text -> page.put("description", text));
        page.put("path", pagePath);
        pageUrl.ifPresent(url -> page.put("url", url));
        front.date().ifPresent(date -> page.put("date", date(date, locale)));
        front.updated().ifPresent(date -> page.put("updated", date(date, locale)));
        front.author().ifPresent(author -> page.put("author", author(author)));
        page.put("hasMeta", front.date().isPresent() || front.updated().isPresent() || front.author().isPresent());
        page.put("tags", front.tags().stream().map(tag -> Map.of("name", tag,
                "url", SiteUrls.encodePath(SiteUrls.relative(pagePath, "tags/" + TagSlug.of(tag) + "/")))).toList());
        page.put("hasTags", !front.tags().isEmpty());
        image.ifPresent(picture -> page.put("image", image(picture, pagePath, known)));
        // the cover at the top of the article: image, else img (head.image is for link previews only)
        front.image().or(() -> front.img().map(Image::of)).flatMap(picture -> PageImage.of(picture, options.siteUrl()))
                .map(picture -> image(picture, pagePath, known)).filter(cover -> cover.containsKey("src"))
                .ifPresent(cover -> page.put("cover", cover));

        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("head", head);
        model.put("site", site(pagePath));
        model.put("page", page);
        model.put("content", body.html());
        model.put("meta", front.extra());
        if (body.hasCode()) {
            model.put("styles", layout.stylesWithCode());
        }
        String html = layout.render("post", model);
        return new RenderedPage(source.siteKey().orElseThrow(), html, title, description, front.date(),
                front.updated(), front.tags(), image, body.html(), front.author(), body.warnings());
    }

    /**
     * Renders the root {@code index.md}, which introduces the front page rather than having a page
     * of its own: its title, description and body.
     */
    public RenderedIntro renderIntro(Post post) {
        FrontMatter front = post.frontMatter();
        RenderedBody body = markdown.render(post.body(), post.source());
        Optional<String> explicitTitle = front.head().title().or(front::title);
        // a leading heading becomes the front page's title, unless the front matter names one
        String leading = explicitTitle.isPresent()
                ? body.titleHtml().map(h1 -> "<h2" + h1.substring(3, h1.length() - 5) + "</h2>\n").orElse("")
                : "";
        return new RenderedIntro(explicitTitle.or(() -> body.titleHtml().flatMap(h1 -> body.firstHeading())),
                front.head().description().or(front::description).or(body::firstParagraph),
                leading + body.html());
    }

    private Map<String, Object> site(String pagePath) {
        Map<String, Object> site = new HashMap<>();
        site.put("title", siteTitle);
        options.siteName().ifPresent(name -> site.put("name", name));
        options.siteUrl().ifPresent(url -> site.put("url", url));
        site.put("root", SiteUrls.relative(pagePath, ""));
        site.put("feed", options.siteUrl().isPresent());
        return site;
    }

    private static Map<String, Object> date(PostDate date, Locale locale) {
        return Map.of("iso", date.iso(), "display", DISPLAY_DATES.computeIfAbsent(locale,
                l -> DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(l)).format(date.value()));
    }

    private static Map<String, Object> author(Author author) {
        Map<String, Object> map = new HashMap<>();
        map.put("name", author.name());
        author.url().ifPresent(url -> map.put("url", url));
        return map;
    }

    /**
     * The template's view of an image: {@code src}, {@code width}, {@code height}, and for a
     * published image with variants {@code srcset} and {@code sizes}; {@code url}, its absolute URL.
     *
     * @param image the image as the front matter gives it (the author's sizes, not the facts')
     */
    private Map<String, Object> image(PageImage image, String pagePath, ImageLookup images) {
        Map<String, Object> map = new HashMap<>();
        Optional<PublishedImage> published = published(image, images);
        if (image.sitePath().isPresent()) {
            map.putAll(ResponsiveImage.attributes(image.sitePath().get(), ResponsiveImage.from(pagePath), published,
                    image.width(), image.height(), ResponsiveImage.COLUMN));
        } else {
            image.absoluteUrl().ifPresent(url -> map.put("src", url));
            image.width().ifPresent(width -> map.put("width", width));
            image.height().ifPresent(height -> map.put("height", height));
        }
        published.map(found -> image.with(found, options.siteUrl())).orElse(image).absoluteUrl()
                .ifPresent(url -> map.put("url", url));
        image.alt().ifPresent(alt -> map.put("alt", alt));
        return map;
    }

    private static Optional<PublishedImage> published(PageImage image, ImageLookup images) {
        return image.sitePath().filter(ImageLookup::isRasterImage).flatMap(images::find);
    }

    /** Asks the lookup once per path, however often the page names the image. */
    private static ImageLookup once(ImageLookup images) {
        if (images == ImageLookup.NONE) {
            return images;
        }
        Map<String, Optional<PublishedImage>> asked = new HashMap<>();
        return path -> asked.computeIfAbsent(path, images::find);
    }
}
