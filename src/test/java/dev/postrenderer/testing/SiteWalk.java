package dev.postrenderer.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a published site as a reader and a crawler do: follows a listing's pagination links from
 * its front page to its last archive page, collecting the posts it links to; and reads the sitemap,
 * or the sitemap index and every sitemap it lists. Keys are paths from the site root, decoded.
 */
public final class SiteWalk {

    private static final int MAX_PAGES = 10_000;

    private final Function<String, Optional<byte[]>> site;
    private final String siteUrl;

    /**
     * @param site    the bytes of the object at a key
     * @param siteUrl the site's base URL, without a trailing slash
     */
    public SiteWalk(Function<String, Optional<byte[]>> site, String siteUrl) {
        this.site = site;
        this.siteUrl = siteUrl;
    }

    /** The post paths a listing links to, following {@code rel="next"} from its front page; each page once. */
    public List<String> posts(String frontKey) {
        List<String> posts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String key = frontKey;
        while (key != null && seen.add(key) && seen.size() < MAX_PAGES) {
            Optional<byte[]> bytes = site.apply(key);
            if (bytes.isEmpty()) {
                throw new AssertionError("a pagination link leads to a missing page: " + key);
            }
            Document page = Jsoup.parse(new String(bytes.get(), StandardCharsets.UTF_8));
            String folder = key.substring(0, key.length() - "index.html".length());
            for (Element link : page.select("li.post-card h2 a[href]")) {
                posts.add(resolve(folder, link.attr("href")));
            }
            Element next = page.selectFirst("a[rel=next]");
            key = next == null ? null : resolve(folder, next.attr("href")) + "index.html";
        }
        return posts;
    }

    /** How many pages a listing has, following {@code rel="next"} from its front page. */
    public int pages(String frontKey) {
        int pages = 0;
        String key = frontKey;
        while (key != null && pages < MAX_PAGES) {
            pages++;
            Document page = Jsoup.parse(new String(site.apply(key).orElseThrow(), StandardCharsets.UTF_8));
            Element next = page.selectFirst("a[rel=next]");
            key = next == null ? null : resolve(key.substring(0, key.length() - "index.html".length()),
                    next.attr("href")) + "index.html";
        }
        return pages;
    }

    /** Every URL the sitemap lists, following a sitemap index to its sitemaps. */
    public Set<String> sitemap() {
        Set<String> urls = new LinkedHashSet<>();
        org.w3c.dom.Document sitemap = xml(site.apply("sitemap.xml").orElseThrow());
        if (sitemap.getDocumentElement().getLocalName().equals("sitemapindex")) {
            for (String loc : locs(sitemap)) {
                String key = loc.substring(siteUrl.length() + 1);
                org.w3c.dom.Document child = xml(site.apply(key).orElseThrow(() ->
                        new AssertionError("the sitemap index lists a missing sitemap: " + key)));
                urls.addAll(locs(child));
            }
        } else {
            urls.addAll(locs(sitemap));
        }
        return urls;
    }

    /** The number of entries of the feed. */
    public int feedEntries() {
        return xml(site.apply("feed.xml").orElseThrow()).getElementsByTagNameNS("*", "entry").getLength();
    }

    private static List<String> locs(org.w3c.dom.Document document) {
        NodeList list = document.getElementsByTagNameNS("*", "loc");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            values.add(list.item(i).getTextContent());
        }
        return values;
    }

    /** The decoded path from the site root a link on a page in {@code folder} leads to. */
    private static String resolve(String folder, String href) {
        String path = URI.create("http://x/" + folder).resolve(href).getRawPath().substring(1);
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static org.w3c.dom.Document xml(byte[] bytes) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }
}
