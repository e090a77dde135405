package dev.postrenderer.render;

import dev.postrenderer.post.UrlPolicy;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Cleans rendered post HTML that contains raw HTML against an allowlist: the elements and
 * attributes markdown itself produces plus common formatting, with URLs limited to
 * {@link UrlPolicy}. Scripts, event handlers, styles, frames, objects, forms, {@code base} and
 * {@code meta} never survive. Thread-safe: the allowlist is immutable after construction.
 */
final class HtmlSanitizer {

    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "cite");
    private static final Safelist SAFELIST = new UrlCheckingSafelist()
            .addTags("a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
                    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
                    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark",
                    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong",
                    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
                    "ul", "var", "wbr")
            .addAttributes(":all", "class", "id", "title", "lang", "dir")
            .addAttributes("a", "href", "aria-label", "data-footnote-ref", "data-footnote-backref",
                    "data-footnote-backref-idx")
            .addAttributes("img", "src", "alt", "width", "height")
            .addAttributes("input", "type", "checked", "disabled", "aria-label")
            .addAttributes("section", "data-footnotes")
            .addAttributes("ol", "start", "reversed")
            .addAttributes("td", "colspan", "rowspan")
            .addAttributes("th", "colspan", "rowspan", "scope")
            .addAttributes("col", "span")
            .addAttributes("colgroup", "span")
            .addAttributes("time", "datetime")
            .addAttributes("del", "datetime", "cite")
            .addAttributes("ins", "datetime", "cite")
            .addAttributes("q", "cite")
            .addAttributes("blockquote", "cite")
            .addAttributes("details", "open");

    private final Cleaner cleaner = new Cleaner(SAFELIST);

    /**
     * Returns the clean HTML.
     *
     * @param html  the rendered body
     * @param links rewrites relative URLs that came from raw HTML, as markdown links are rewritten
     */
    String sanitize(String html, UnaryOperator<String> links) {
        return sanitize(html, links, new HashSet<>());
    }

    /**
     * Returns the clean HTML of a part of a body.
     *
     * @param takenIds ids used elsewhere in the body: an element here with one of them loses it, and
     *                 the ids kept here are added
     */
    String sanitize(String html, UnaryOperator<String> links, Set<String> takenIds) {
        Document clean = cleaner.clean(Jsoup.parseBodyFragment(html));
        clean.select("input").forEach(input -> {
            if (!input.attr("type").equalsIgnoreCase("checkbox")) {
                input.remove();
            } else {
                input.attr("disabled", true);
            }
        });
        // an image needs alt text to be valid HTML; one whose author gave none is decorative
        clean.select("img:not([alt])").forEach(image -> image.attr("alt", ""));
        // images in a post's body load when the reader scrolls near them
        clean.select("img").forEach(image -> image.attr("loading", "lazy").attr("decoding", "async"));
        for (Element element : clean.select("a[href], img[src]")) {
            String attribute = element.normalName().equals("a") ? "href" : "src";
            element.attr(attribute, SiteUrls.encode(links.apply(element.attr(attribute))));
        }
        HtmlConformance.fix(clean.body(), takenIds);
        clean.outputSettings()
                .prettyPrint(false)
                .escapeMode(Entities.EscapeMode.base)
                .charset("UTF-8");
        return clean.body().html();
    }

    /** Applies {@link UrlPolicy} to every URL-valued attribute, whatever the element. */
    private static final class UrlCheckingSafelist extends Safelist {
        @Override
        public boolean isSafeAttribute(String tagName, Element element, Attribute attribute) {
            if (!super.isSafeAttribute(tagName, element, attribute)) {
                return false;
            }
            String name = attribute.getKey().toLowerCase(Locale.ROOT);
            return !URL_ATTRIBUTES.contains(name) || UrlPolicy.isAllowed(attribute.getValue());
        }
    }
}
