package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.postrenderer.site.XmlDocuments.children;
import static dev.postrenderer.site.XmlDocuments.text;
import static dev.postrenderer.site.XmlDocuments.xml;

import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The sitemaps: one file, or an index of the latest posts, the tags and one file per month of archive pages. */
class SitemapsTest {

    private static final Sitemaps SITEMAPS = new Sitemaps(new RenderOptions(Optional.of("https://blog.example.com"),
            Optional.of("Blog & Co"), "en", RawHtmlPolicy.SANITIZE));

    private static PostEntry post(String name, String date, String... tags) {
        return TestEntries.post(name, date, tags);
    }

    @Test
    void theSitemapListsEveryPageWithItsLastModification() throws Exception {
        Element urlset = xml(SITEMAPS.sitemap(List.of(post("a", "2024-03-18", "Some Tag"), post("undated", null)),
                List.of("some-tag")).orElseThrow().content()).getDocumentElement();
        assertThat(urlset.getNamespaceURI()).isEqualTo("http://www.sitemaps.org/schemas/sitemap/0.9");
        List<String> locations = children(urlset, "url").stream().map(url -> text(url, "loc")).toList();
        assertThat(locations).containsExactly("https://blog.example.com/", "https://blog.example.com/posts/a/",
                "https://blog.example.com/posts/undated/", "https://blog.example.com/tags/some-tag/");
        assertThat(text(children(urlset, "url").get(1), "lastmod")).isEqualTo("2024-03-18T00:00:00Z");
        assertThat(children(children(urlset, "url").get(2), "lastmod")).isEmpty();
    }

    @Test
    void aSitemapIndexListsTheLatestTheTagsAndEveryArchivePage() throws Exception {
        Element index = xml(SITEMAPS.index(List.of("2024-01-02-00000002", "2023-05-01-00000001")).orElseThrow()
                .content()).getDocumentElement();
        assertThat(index.getLocalName()).isEqualTo("sitemapindex");
        assertThat(children(index, "sitemap").stream().map(sitemap -> text(sitemap, "loc")).toList()).containsExactly(
                "https://blog.example.com/sitemaps/latest.xml", "https://blog.example.com/sitemaps/tags.xml",
                "https://blog.example.com/sitemaps/2023-05-01-00000001.xml",
                "https://blog.example.com/sitemaps/2024-01-02-00000002.xml");
    }

    @Test
    void withoutASiteUrlThereIsNoSitemap() {
        assertThat(new Sitemaps(RenderOptions.DEFAULTS).sitemap(List.of(post("a", "2024-01-01")), List.of())).isEmpty();
    }
}
