package dev.postrenderer.site;

import java.net.URI;
import java.net.URISyntaxException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;

/**
 * A page's body as a feed reader needs it: every link and image URL absolute, since the feed
 * lives elsewhere. The HTML this renderer writes (commonmark's, or the sanitiser's) quotes every
 * attribute and escapes every {@code <} in text, so one pass over its tags finds the URLs without
 * parsing the document; verbatim raw HTML ({@code RAW_HTML=allow}) is parsed with jsoup.
 */
public final class FeedContent {

    private FeedContent() {
    }

    /**
     * Resolves the relative URLs of {@code html} against the page's absolute URL.
     *
     * @param verbatimRawHtml true if the body may hold raw HTML as its author wrote it
     */
    public static String absolutize(String html, String pageUrl, boolean verbatimRawHtml) {
        if (verbatimRawHtml) {
            return parsed(html, pageUrl);
        }
        URI base = URI.create(pageUrl);
        StringBuilder out = new StringBuilder(html.length() + 256);
        int at = 0;
        while (at < html.length()) {
            int open = html.indexOf('<', at);
            if (open < 0) {
                out.append(html, at, html.length());
                break;
            }
            out.append(html, at, open);
            int close = tagEnd(html, open);
            String tag = html.substring(open, close);
            out.append(tag.startsWith("<a ") ? resolve(tag, " href=\"", base)
                    : tag.startsWith("<img ") ? resolve(withoutVariants(tag), " src=\"", base) : tag);
            at = close;
        }
        return out.toString();
    }

    /**
     * An image tag without its {@code srcset} and {@code sizes}: feed readers show {@code src}
     * (the widest variant), and resolving a candidate list is not worth its risk.
     */
    private static String withoutVariants(String tag) {
        String result = tag;
        for (String attribute : new String[] {" srcset=\"", " sizes=\""}) {
            int start = result.indexOf(attribute);
            int end = start < 0 ? -1 : result.indexOf('"', start + attribute.length());
            if (end > 0) {
                result = result.substring(0, start) + result.substring(end + 1);
            }
        }
        return result;
    }

    /** The index just past the tag that starts at {@code open}: its {@code >} outside quoted values. */
    private static int tagEnd(String html, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < html.length(); i++) {
            char c = html.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i + 1;
            }
        }
        return html.length();
    }

    private static String resolve(String tag, String attribute, URI base) {
        int start = tag.indexOf(attribute);
        if (start < 0) {
            return tag;
        }
        int valueStart = start + attribute.length();
        int valueEnd = tag.indexOf('"', valueStart);
        if (valueEnd < 0) {
            return tag;
        }
        String value = tag.substring(valueStart, valueEnd).replace("&amp;", "&");
        String absolute;
        try {
            absolute = base.resolve(new URI(value)).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return tag; // not a URI this renderer wrote: left as it is
        }
        return tag.substring(0, valueStart) + absolute.replace("&", "&amp;") + tag.substring(valueEnd);
    }

    private static String parsed(String html, String pageUrl) {
        Document document = Jsoup.parseBodyFragment(html, pageUrl);
        document.select("img").removeAttr("srcset").removeAttr("sizes");
        for (Element element : document.select("a[href], img[src]")) {
            String attribute = element.normalName().equals("a") ? "href" : "src";
            String absolute = element.absUrl(attribute);
            if (!absolute.isEmpty()) {
                element.attr(attribute, absolute);
            }
        }
        document.outputSettings().prettyPrint(false).escapeMode(Entities.EscapeMode.base).charset("UTF-8");
        return document.body().html();
    }
}
