package dev.postrenderer.render;

import dev.postrenderer.post.Author;
import dev.postrenderer.post.FrontMatter;
import dev.postrenderer.post.LinkEntry;
import dev.postrenderer.post.MetaEntry;
import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.UrlPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tags of a page's {@code <head>} after {@code <meta charset>} and the viewport: title,
 * description, canonical, Open Graph, Twitter, {@code article:*}, the post's own
 * {@code head.meta} and {@code head.link}, and a JSON-LD {@code BlogPosting}.
 *
 * <p>Derivation follows Nuxt Content v2, completed as jekyll-seo-tag and Hugo do. A
 * {@code head.meta} entry replaces the derived tag with the same name or property in its place
 * (the last of several wins, except for properties that may repeat, such as
 * {@code article:tag}); the {@code og:image:*} tags derived from {@code image} are dropped when
 * the post names its own {@code og:image}, since they would describe another picture. Values are
 * escaped for their context.
 */
final class HeadTags {

    private static final Set<String> URL_VALUED = Set.of("og:url", "og:image", "og:image:url",
            "og:image:secure_url", "twitter:image");

    private final FrontMatter frontMatter;
    private final RenderOptions options;
    private final String lang;

    HeadTags(FrontMatter frontMatter, RenderOptions options, String lang) {
        this.frontMatter = Objects.requireNonNull(frontMatter, "frontMatter == null");
        this.options = Objects.requireNonNull(options, "options == null");
        this.lang = Objects.requireNonNull(lang, "lang == null");
    }

    /**
     * Renders the tags, one per line.
     *
     * @param title       the page title
     * @param description the page description, if any
     * @param pageUrl     the page's absolute URL, when the site URL is known
     * @param image       the page image, if any
     */
    String render(String title, Optional<String> description, Optional<String> pageUrl, Optional<PageImage> image) {
        List<LinkEntry> explicitLinks = frontMatter.head().link();
        Optional<String> canonical = explicitLinks.stream()
                .filter(link -> link.rel().equals("canonical"))
                .reduce((first, second) -> second)
                .map(link -> absoluteUrl(link.href()))
                .or(() -> pageUrl);
        List<MetaEntry> explicit = explicitMeta();
        List<MetaEntry> meta = merge(derived(title, description, canonical, image), explicit);
        Map<String, String> values = new LinkedHashMap<>();
        meta.forEach(entry -> values.putIfAbsent(normal(entry.key()), entry.content()));
        if (!values.getOrDefault("og:type", "article").equals("article")) {
            // article:* describes an og:type of article; keep only what the post asked for itself
            meta.removeIf(entry -> entry.key().startsWith("article:") && !explicit.contains(entry));
        }

        StringBuilder out = new StringBuilder(4096);
        out.append("<title>").append(HtmlEscaper.escape(HtmlEscaper.collapseWhitespace(title))).append("</title>\n");
        canonical.ifPresent(url ->
                out.append("<link rel=\"canonical\" href=\"").append(HtmlEscaper.escape(url)).append("\">\n"));
        meta.forEach(entry -> appendMeta(out, entry));
        explicitLinks.stream().filter(link -> !link.rel().equals("canonical")).forEach(link -> appendLink(out, link));
        out.append(ListingHead.feedLink(options));
        out.append("<script type=\"application/ld+json\">")
                .append(JsonLd.write(blogPosting(title, values, canonical)))
                .append("</script>\n");
        return out.toString();
    }

    private List<MetaEntry> derived(String title, Optional<String> description, Optional<String> canonical,
                                    Optional<PageImage> image) {
        List<MetaEntry> tags = new ArrayList<>();
        description.ifPresent(text -> tags.add(MetaEntry.name("description", text)));
        tags.add(MetaEntry.property("og:type", "article"));
        tags.add(MetaEntry.property("og:title", title));
        description.ifPresent(text -> tags.add(MetaEntry.property("og:description", text)));
        canonical.ifPresent(url -> tags.add(MetaEntry.property("og:url", url)));
        options.siteName().ifPresent(name -> tags.add(MetaEntry.property("og:site_name", name)));
        Optional<PageImage> shareable = image.filter(picture -> picture.absoluteUrl().isPresent());
        shareable.ifPresent(picture -> {
            tags.add(MetaEntry.property("og:image", picture.absoluteUrl().get()));
            picture.alt().ifPresent(alt -> tags.add(MetaEntry.property("og:image:alt", alt)));
            picture.width().ifPresent(width -> tags.add(MetaEntry.property("og:image:width", Integer.toString(width))));
            picture.height().ifPresent(height -> tags.add(MetaEntry.property("og:image:height", Integer.toString(height))));
            picture.type().ifPresent(type -> tags.add(MetaEntry.property("og:image:type", type)));
        });
        tags.add(MetaEntry.name("twitter:card", shareable.isPresent() ? "summary_large_image" : "summary"));
        tags.add(MetaEntry.name("twitter:title", title));
        description.ifPresent(text -> tags.add(MetaEntry.name("twitter:description", text)));
        shareable.ifPresent(picture -> {
            tags.add(MetaEntry.name("twitter:image", picture.absoluteUrl().get()));
            picture.alt().ifPresent(alt -> tags.add(MetaEntry.name("twitter:image:alt", alt)));
        });
        frontMatter.date().ifPresent(date -> tags.add(MetaEntry.property("article:published_time", date.iso())));
        frontMatter.updated().ifPresent(date -> tags.add(MetaEntry.property("article:modified_time", date.iso())));
        frontMatter.tags().forEach(tag -> tags.add(MetaEntry.property("article:tag", tag)));
        frontMatter.author().map(Author::name).ifPresent(name -> tags.add(MetaEntry.name("author", name)));
        return tags;
    }

    /** The post's {@code head.meta}, the last of each single-valued key, URLs made absolute. */
    private List<MetaEntry> explicitMeta() {
        return lastOfEachSingleValued(frontMatter.head().meta()).stream()
                .map(entry -> URL_VALUED.contains(normal(entry.key()))
                        ? new MetaEntry(entry.attribute(), entry.key(), absoluteUrl(entry.content())) : entry)
                .toList();
    }

    /** Puts each explicit entry in the place of the derived one it replaces; the rest follow in their own order. */
    private static List<MetaEntry> merge(List<MetaEntry> derived, List<MetaEntry> explicit) {
        Set<String> explicitKeys = new HashSet<>();
        explicit.forEach(entry -> explicitKeys.add(normal(entry.key())));
        boolean[] emitted = new boolean[explicit.size()];
        List<MetaEntry> out = new ArrayList<>();
        for (MetaEntry entry : derived) {
            String key = normal(entry.key());
            if (explicitKeys.contains(key)) {
                for (int i = 0; i < explicit.size(); i++) {
                    String other = normal(explicit.get(i).key());
                    if (!emitted[i] && (other.equals(key) || other.startsWith(key + ":"))) {
                        out.add(explicit.get(i));
                        emitted[i] = true;
                    }
                }
            } else if (!explicitKeys.contains(parent(key))) {
                out.add(entry);
            }
        }
        for (int i = 0; i < explicit.size(); i++) {
            if (!emitted[i]) {
                out.add(explicit.get(i));
            }
        }
        return out;
    }

    private static List<MetaEntry> lastOfEachSingleValued(List<MetaEntry> entries) {
        List<MetaEntry> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            MetaEntry entry = entries.get(i);
            String key = normal(entry.key());
            if (multiValued(key) || seen.add(key)) {
                kept.add(0, entry);
            }
        }
        return kept;
    }

    /** Open Graph arrays: several images, videos, audio files, alternate locales and tags are allowed. */
    private static boolean multiValued(String key) {
        return key.startsWith("og:image") || key.startsWith("og:video") || key.startsWith("og:audio")
                || key.equals("og:locale:alternate") || key.endsWith(":tag");
    }

    /** The tag a structured property describes: {@code og:image:alt} describes {@code og:image}. */
    private static String parent(String key) {
        if (key.startsWith("og:image:")) {
            return "og:image";
        }
        if (key.startsWith("twitter:image:")) {
            return "twitter:image";
        }
        return "";
    }

    private Map<String, Object> blogPosting(String title, Map<String, String> values, Optional<String> canonical) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("@context", "https://schema.org");
        json.put("@type", "BlogPosting");
        json.put("headline", HtmlEscaper.collapseWhitespace(title));
        json.put("description", Optional.ofNullable(values.get("description")).map(HtmlEscaper::collapseWhitespace).orElse(null));
        canonical.ifPresent(url -> {
            json.put("url", url);
            json.put("mainEntityOfPage", ordered("@type", "WebPage", "@id", url));
        });
        Optional.ofNullable(values.get("og:image")).filter(UrlPolicy::isAbsoluteHttp)
                .ifPresent(url -> json.put("image", List.of(url)));
        json.put("datePublished", values.getOrDefault("article:published_time",
                frontMatter.date().map(PostDate::iso).orElse(null)));
        json.put("dateModified", values.getOrDefault("article:modified_time",
                frontMatter.updated().map(PostDate::iso).orElse(null)));
        Optional<Author> author = frontMatter.author()
                .or(() -> Optional.ofNullable(values.get("author")).map(name -> new Author(name, Optional.empty())));
        author.ifPresent(person -> json.put("author",
                ordered("@type", "Person", "name", person.name(), "url", person.url().orElse(null))));
        if (!frontMatter.tags().isEmpty()) {
            json.put("keywords", String.join(", ", frontMatter.tags()));
        }
        json.put("inLanguage", lang);
        options.siteName().ifPresent(name -> json.put("publisher",
                ordered("@type", "Organization", "name", name, "url", options.siteUrl().map(url -> url + "/").orElse(null))));
        return json;
    }

    private static Map<String, Object> ordered(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Makes a site path absolute with the site URL; absolute URLs are only percent-encoded (once). */
    private String absoluteUrl(String url) {
        if (UrlPolicy.hasSchemeOrHost(url) || options.siteUrl().isEmpty()) {
            return SiteUrls.encode(url);
        }
        return SiteUrls.resolve("", url.startsWith("/") ? url.substring(1) : url)
                .map(path -> SiteUrls.absolute(options.siteUrl().get(), path))
                .orElse(SiteUrls.encode(url));
    }

    private static void appendMeta(StringBuilder out, MetaEntry entry) {
        out.append("<meta ").append(entry.attribute().html()).append("=\"").append(HtmlEscaper.escape(entry.key()))
                .append("\" content=\"").append(HtmlEscaper.escape(HtmlEscaper.collapseWhitespace(entry.content())))
                .append("\">\n");
    }

    private static void appendLink(StringBuilder out, LinkEntry link) {
        out.append("<link");
        link.attributes().forEach((name, value) -> out.append(' ').append(name).append("=\"")
                .append(HtmlEscaper.escape(name.equals("href") ? SiteUrls.encode(value) : value)).append('"'));
        out.append(">\n");
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
