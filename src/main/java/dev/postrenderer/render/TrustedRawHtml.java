package dev.postrenderer.render;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.postrenderer.post.UrlPolicy;
import org.jsoup.parser.Parser;

/**
 * Raw HTML under {@code RAW_HTML=allow}, kept as written but for two things GitHub and the rest of
 * the page need: GFM's tag filter ({@code <title>}, {@code <textarea>}, {@code <style>},
 * {@code <xmp>}, {@code <iframe>}, {@code <noembed>}, {@code <noframes>}, {@code <script>} and
 * {@code <plaintext>} have their {@code <} escaped, since each would swallow or restyle the rest
 * of the page), and the {@code href} and {@code src} of its tags rewritten for the post's pretty
 * URL, as markdown links and sanitised HTML are. Tags are found by CommonMark's grammar for an open
 * tag, with possessive quantifiers so that no input makes the scan backtrack. Stateless.
 */
final class TrustedRawHtml {

    private static final Pattern FILTERED = Pattern.compile(
            "<(?=/?(?i:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)(?:[\\s/>]|$))");
    private static final String ATTRIBUTE_VALUE = "(?:[^\\s\"'=<>`]++|'[^']*+'|\"[^\"]*+\")";
    private static final Pattern OPEN_TAG = Pattern.compile("<[A-Za-z][A-Za-z0-9-]*+(?:\\s++[A-Za-z_:][A-Za-z0-9_.:-]*+"
            + "(?:\\s*+=\\s*+" + ATTRIBUTE_VALUE + ")?+)*+\\s*+/?>");
    private static final Pattern URL_ATTRIBUTE = Pattern.compile("(\\s)((?i:href|src))(\\s*+=\\s*+)(" + ATTRIBUTE_VALUE
            + ")");

    private TrustedRawHtml() {
    }

    /**
     * The raw HTML with the tag filter applied and its tags' URLs passed through {@code rewrite}
     * (which gets the URL as a browser reads it, entities decoded, and returns the one to use).
     */
    static String of(String html, UnaryOperator<String> rewrite) {
        String filtered = FILTERED.matcher(html).replaceAll("&lt;");
        if (filtered.indexOf('=') < 0) {
            return filtered;
        }
        Matcher tags = OPEN_TAG.matcher(filtered);
        StringBuilder out = new StringBuilder(filtered.length() + 16);
        while (tags.find()) {
            tags.appendReplacement(out, Matcher.quoteReplacement(urls(tags.group(), rewrite)));
        }
        tags.appendTail(out);
        return out.toString();
    }

    private static String urls(String tag, UnaryOperator<String> rewrite) {
        Matcher attributes = URL_ATTRIBUTE.matcher(tag);
        StringBuilder out = new StringBuilder(tag.length() + 16);
        while (attributes.find()) {
            String value = attributes.group(4);
            if (value.startsWith("\"") || value.startsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            // as a browser reads the attribute: entities decoded, and in a path on an https page a backslash is a slash
            String read = Parser.unescapeEntities(value, true);
            String url = rewrite.apply(UrlPolicy.hasSchemeOrHost(read) ? read : read.replace('\\', '/'));
            attributes.appendReplacement(out, Matcher.quoteReplacement(attributes.group(1) + attributes.group(2)
                    + attributes.group(3) + "\"" + HtmlEscaper.escape(url) + "\""));
        }
        attributes.appendTail(out);
        return out.toString();
    }
}
