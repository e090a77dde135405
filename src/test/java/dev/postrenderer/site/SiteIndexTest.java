package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SiteIndexTest {

    private static final RenderOptions OPTIONS = new RenderOptions(Optional.of("https://blog.example.com"),
            Optional.of("Blog & Co"), "en", RawHtmlPolicy.SANITIZE);
    private static final SiteIndex INDEX = new SiteIndex(OPTIONS, PageLayout.bundled());

    private static ManifestEntry post(String name, String date, String... tags) {
        return new ManifestEntry("posts/" + name + ".md", "posts/" + name + "/", "Title " + name,
                Optional.of("About " + name), Optional.ofNullable(date).flatMap(PostDate::parse), Optional.empty(),
                List.of(tags), Optional.empty(), Optional.empty(), Optional.of("<p>Body of " + name + " & more</p>"),
                Optional.of("etag"), Optional.empty(), "r", Optional.of("page"), false);
    }

    private static SiteManifest manifest(ManifestEntry... entries) {
        SiteManifest manifest = SiteManifest.EMPTY;
        for (ManifestEntry entry : entries) {
            manifest = manifest.with(entry);
        }
        return manifest;
    }

    private static Document xml(byte[] bytes) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getLocalName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        return children(parent, name).get(0).getTextContent();
    }

    @Test
    void theFeedIsAtomWithItsRequiredElementsAndFullContent() throws Exception {
        Map<String, SitePage> pages = INDEX.pages(manifest(post("a", "2024-03-18", "x"), post("b", "2024-04-02T09:30:00Z")));
        Element feed = xml(pages.get("feed.xml").content()).getDocumentElement();
        assertThat(feed.getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        assertThat(feed.getLocalName()).isEqualTo("feed");
        assertThat(text(feed, "id")).isEqualTo("https://blog.example.com/");
        assertThat(text(feed, "title")).isEqualTo("Blog & Co");
        assertThat(OffsetDateTime.parse(text(feed, "updated"))).isEqualTo(OffsetDateTime.parse("2024-04-02T09:30:00Z"));
        assertThat(children(feed, "link")).extracting(link -> link.getAttribute("rel")).contains("self", "alternate");
        assertThat(children(feed, "author")).hasSize(1);
        List<Element> entries = children(feed, "entry");
        assertThat(entries).hasSize(2);
        Element newest = entries.get(0);
        assertThat(text(newest, "id")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(text(newest, "title")).isEqualTo("Title b");
        assertThat(children(newest, "link").get(0).getAttribute("href")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(OffsetDateTime.parse(text(newest, "updated"))).isNotNull();
        assertThat(OffsetDateTime.parse(text(newest, "published"))).isNotNull();
        Element content = children(newest, "content").get(0);
        assertThat(content.getAttribute("type")).isEqualTo("html");
        assertThat(content.getTextContent()).isEqualTo("<p>Body of b & more</p>");
        assertThat(children(entries.get(1), "category").get(0).getAttribute("term")).isEqualTo("x");
    }

    @Test
    void theFeedKeepsTheNewestFifty() throws Exception {
        List<ManifestEntry> posts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            posts.add(post(String.format("p%02d", i), String.format("2024-01-%02d", i % 28 + 1)));
        }
        Element feed = xml(INDEX.pages(manifest(posts.toArray(ManifestEntry[]::new))).get("feed.xml").content())
                .getDocumentElement();
        assertThat(children(feed, "entry")).hasSize(50);
    }

    @Test
    void theSitemapListsEveryPageWithItsLastModification() throws Exception {
        Map<String, SitePage> pages = INDEX.pages(manifest(post("a", "2024-03-18", "Some Tag"), post("undated", null)));
        Element urlset = xml(pages.get("sitemap.xml").content()).getDocumentElement();
        assertThat(urlset.getNamespaceURI()).isEqualTo("http://www.sitemaps.org/schemas/sitemap/0.9");
        List<String> locations = children(urlset, "url").stream().map(url -> text(url, "loc")).toList();
        assertThat(locations).containsExactly("https://blog.example.com/", "https://blog.example.com/posts/a/",
                "https://blog.example.com/posts/undated/", "https://blog.example.com/tags/some-tag/");
        Element post = children(urlset, "url").get(1);
        assertThat(text(post, "lastmod")).isEqualTo("2024-03-18T00:00:00Z");
        assertThat(children(children(urlset, "url").get(2), "lastmod")).isEmpty();
    }

    @Test
    void robotsNameTheSitemap() {
        String robots = new String(INDEX.pages(SiteManifest.EMPTY).get("robots.txt").content(), StandardCharsets.UTF_8);
        assertThat(robots).isEqualTo("User-agent: *\nAllow: /\nSitemap: https://blog.example.com/sitemap.xml\n");
    }

    @Test
    void theFrontPageListsNewestFirstWithUndatedPostsLast() {
        String index = new String(INDEX.pages(manifest(post("old", "2020-01-01"), post("undated", null),
                post("new", "2024-01-01"))).get("index.html").content(), StandardCharsets.UTF_8);
        assertThat(index.indexOf("Title new")).isLessThan(index.indexOf("Title old"));
        assertThat(index.indexOf("Title old")).isLessThan(index.indexOf("Title undated"));
        assertThat(index).contains("<title>Blog &amp; Co</title>");
    }

    @Test
    void eachTagHasAPageListingItsPostsAndATagNoPostHasNoPage() {
        Map<String, SitePage> pages = INDEX.pages(manifest(post("a", "2024-01-01", "AI art"), post("b", "2024-01-02", "ai-art")));
        String tag = new String(pages.get("tags/ai-art/index.html").content(), StandardCharsets.UTF_8);
        assertThat(tag).contains("Title a", "Title b", "Posts tagged “ai-art”");
        assertThat(INDEX.pages(SiteManifest.EMPTY, List.of("ai-art"))).doesNotContainKey("tags/ai-art/index.html");
    }

    @Test
    void withoutASiteUrlThereIsNoFeedOrSitemap() {
        SiteIndex local = new SiteIndex(RenderOptions.DEFAULTS, PageLayout.bundled());
        assertThat(local.pages(manifest(post("a", "2024-01-01")))).containsKeys("index.html", "404.html", "robots.txt")
                .doesNotContainKeys("feed.xml", "sitemap.xml");
    }

    @Test
    void equalManifestsGiveEqualBytesWhateverTheirVersion() {
        SiteManifest one = manifest(post("a", "2024-01-01", "x"));
        SiteManifest later = one.nextVersion().nextVersion();
        assertThat(INDEX.pages(later)).isEqualTo(INDEX.pages(one));
    }

    @Test
    void theManifestSurvivesARoundTripThroughJson() {
        SiteManifest manifest = manifest(post("a", "2024-01-01", "x", "y"), post("b", null),
                ManifestEntry.tombstone("posts/gone.md", "posts/gone/", Optional.of("00FF")))
                .withFrontPage(Optional.of(new FrontPage(Optional.of("Home"), Optional.empty(), "<p>Hi</p>")))
                .nextVersion();
        assertThat(ManifestJson.read(ManifestJson.write(manifest))).isEqualTo(manifest);
        assertThat(manifest.posts()).extracting(ManifestEntry::sourceKey).containsExactly("posts/a.md", "posts/b.md");
    }
}
