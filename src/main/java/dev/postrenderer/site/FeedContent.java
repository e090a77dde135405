package dev.postrenderer.site;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;

/** A page's body as a feed reader needs it: every link and image URL absolute, since the feed lives elsewhere. */
public final class FeedContent {

    private FeedContent() {
    }

    /** Resolves the relative URLs of {@code html} against the page's absolute URL. */
    public static String absolutize(String html, String pageUrl) {
        Document document = Jsoup.parseBodyFragment(html, pageUrl);
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
