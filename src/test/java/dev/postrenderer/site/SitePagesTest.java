package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.site.ListingEdit.PageView;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The pages around the posts, each from just the posts it shows. */
class SitePagesTest {

    private static final RenderOptions OPTIONS = new RenderOptions(Optional.of("https://blog.example.com"),
            Optional.of("Blog & Co"), "en", RawHtmlPolicy.SANITIZE);
    private static final SitePages PAGES = new SitePages(OPTIONS, PageLayout.bundled());

    private static PostEntry post(String name, String date, String... tags) {
        return PostEntry.builder("posts/" + name + ".md", "posts/" + name + "/").title("Title " + name)
                .description(Optional.of("About " + name)).date(Optional.ofNullable(date).flatMap(PostDate::parse))
                .tags(List.of(tags)).sourceEtag(Optional.of("etag")).renderer("r").pageEtag("page-" + name).build();
    }

    private static FeedItem item(PostEntry post) {
        return FeedItem.of(post, "<p>Body of " + post.title() + " & more</p>");
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

    private static String html(SitePage page) {
        return new String(page.content(), StandardCharsets.UTF_8);
    }

    @Test
    void theFeedIsAtomWithItsRequiredElementsAndFullContent() throws Exception {
        byte[] feed = PAGES.feed(List.of(item(post("b", "2024-04-02T09:30:00Z")), item(post("a", "2024-03-18", "x"))))
                .orElseThrow().content();
        Element root = xml(feed).getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        assertThat(root.getLocalName()).isEqualTo("feed");
        assertThat(text(root, "id")).isEqualTo("https://blog.example.com/");
        assertThat(text(root, "title")).isEqualTo("Blog & Co");
        assertThat(OffsetDateTime.parse(text(root, "updated"))).isEqualTo(OffsetDateTime.parse("2024-04-02T09:30:00Z"));
        assertThat(children(root, "link")).extracting(link -> link.getAttribute("rel")).contains("self", "alternate");
        assertThat(children(root, "author")).hasSize(1);
        List<Element> entries = children(root, "entry");
        assertThat(entries).hasSize(2);
        Element newest = entries.get(0);
        assertThat(text(newest, "id")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(children(newest, "link").get(0).getAttribute("href")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(OffsetDateTime.parse(text(newest, "published"))).isEqualTo(OffsetDateTime.parse("2024-04-02T09:30:00Z"));
        Element content = children(newest, "content").get(0);
        assertThat(content.getAttribute("type")).isEqualTo("html");
        assertThat(content.getTextContent()).isEqualTo("<p>Body of Title b & more</p>");
        assertThat(children(entries.get(1), "category").get(0).getAttribute("term")).isEqualTo("x");
        assertThat(text(newest, "page")).as("the page ETag the entry was made from").isEqualTo("page-b");
    }

    @Test
    void theFeedReadsBackWhatItWrote() {
        List<FeedItem> items = List.of(item(post("b", "2024-04-02T09:30:00Z", "x", "y")), item(post("undated", null)));
        SitePage feed = PAGES.feed(items).orElseThrow();
        assertThat(PAGES.feed(PAGES.readFeed(feed.content())).orElseThrow()).isEqualTo(feed);
        assertThat(PAGES.readFeed(feed.content())).extracting(FeedItem::path, FeedItem::pageEtag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("posts/b/", "page-b"),
                        org.assertj.core.groups.Tuple.tuple("posts/undated/", "page-undated"));
    }

    @Test
    void anUndatedPostHasNoPublishedDateInTheFeed() throws Exception {
        Element entry = children(xml(PAGES.feed(List.of(item(post("undated", null)))).orElseThrow().content())
                .getDocumentElement(), "entry").get(0);
        assertThat(children(entry, "published")).isEmpty();
        assertThat(children(entry, "updated")).hasSize(1);
    }

    @Test
    void theSitemapListsEveryPageWithItsLastModification() throws Exception {
        Element urlset = xml(PAGES.sitemap(List.of(post("a", "2024-03-18", "Some Tag"), post("undated", null)),
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
        Element index = xml(PAGES.sitemapIndex(List.of("2024-01-02-00000002", "2023-05-01-00000001")).orElseThrow()
                .content()).getDocumentElement();
        assertThat(index.getLocalName()).isEqualTo("sitemapindex");
        assertThat(children(index, "sitemap").stream().map(sitemap -> text(sitemap, "loc")).toList()).containsExactly(
                "https://blog.example.com/sitemaps/latest.xml", "https://blog.example.com/sitemaps/tags.xml",
                "https://blog.example.com/sitemaps/2023-05-01-00000001.xml",
                "https://blog.example.com/sitemaps/2024-01-02-00000002.xml");
    }

    @Test
    void robotsNameTheSitemap() {
        assertThat(new String(PAGES.robots().content(), StandardCharsets.UTF_8))
                .isEqualTo("User-agent: *\nAllow: /\nSitemap: https://blog.example.com/sitemap.xml\n");
    }

    @Test
    void theFrontPageShowsItsPostsInTheOrderGiven() {
        String index = html(PAGES.front(Optional.empty(), new PageView(List.of(post("new", "2024-01-01"),
                post("old", "2020-01-01")), Optional.empty(), Optional.empty())));
        assertThat(index.indexOf("Title new")).isLessThan(index.indexOf("Title old"));
        assertThat(index).contains("<title>Blog &amp; Co</title>").doesNotContain("class=\"pagination\"");
    }

    @Test
    void aFrontPageWithOlderPostsLinksToTheNewestArchivePageAsItsNextPage() {
        var page = Jsoup.parse(html(PAGES.front(Optional.empty(), new PageView(List.of(post("new", "2024-01-01")),
                Optional.empty(), Optional.of("2023-05-01-00000001")))));
        assertThat(page.select("a[rel=next]").attr("href")).isEqualTo("page/2023-05-01-00000001/");
        assertThat(page.select("a[rel=prev]")).isEmpty();
    }

    @Test
    void anArchivePageLinksToTheNewerAndTheOlderPageWithItsDateRangeAsTitle() {
        SitePage page = PAGES.archive(SiteState.FRONT, Optional.empty(), "2023-05-01-00000001",
                new PageView(List.of(post("b", "2023-06-02"), post("a", "2023-05-01")),
                        Optional.of("2023-07-01-00000002"), Optional.of("2022-01-01-00000000")));
        assertThat(page.key()).isEqualTo("page/2023-05-01-00000001/index.html");
        var html = Jsoup.parse(html(page));
        assertThat(html.title()).isEqualTo("Posts from May 1, 2023 to June 2, 2023");
        assertThat(html.select("a[rel=prev]").attr("href")).isEqualTo("../2023-07-01-00000002/");
        assertThat(html.select("a[rel=next]").attr("href")).isEqualTo("../2022-01-01-00000000/");
        assertThat(html.select("li.post-card h2 a").eachAttr("href")).containsExactly("../../posts/b/", "../../posts/a/");
        assertThat(html.select("link[rel=canonical]").attr("href"))
                .isEqualTo("https://blog.example.com/page/2023-05-01-00000001/");
    }

    @Test
    void theNewestArchivePageOfATagLinksBackToTheTagPage() {
        SitePage page = PAGES.archive("tags/ai-art", Optional.of("AI art"), "2023-05-01-00000001",
                new PageView(List.of(post("a", "2023-05-01", "AI art")), Optional.empty(), Optional.empty()));
        assertThat(page.key()).isEqualTo("tags/ai-art/page/2023-05-01-00000001/index.html");
        var html = Jsoup.parse(html(page));
        assertThat(html.select("a[rel=prev]").attr("href")).isEqualTo("../../");
        assertThat(html.title()).startsWith("Posts tagged “AI art”");
    }

    @Test
    void withoutASiteUrlThereIsNoFeedOrSitemap() {
        SitePages local = new SitePages(RenderOptions.DEFAULTS, PageLayout.bundled());
        assertThat(local.feed(List.of(item(post("a", "2024-01-01"))))).isEmpty();
        assertThat(local.sitemap(List.of(post("a", "2024-01-01")), List.of())).isEmpty();
    }

    @Test
    void theStateSurvivesARoundTripThroughJson() {
        PostEntry a = post("a", "2024-01-01", "x", "y");
        SiteState state = SiteState.EMPTY.toBuilder().version(7)
                .frontPage(Optional.of(new FrontPage(Optional.of("Home"), Optional.empty(), "<p>Hi</p>")))
                .listing(SiteState.FRONT, Optional.of(new ListingMeta("", 3, "i1", List.of(new DirectoryRef("i2",
                        a.position(), "2024-01-01-00000000", 1)))))
                .feed(List.of(FeedRef.of(a)))
                .fences(List.of(new Fence("posts/gone.md", Optional.of("00FF"), true, 1234)))
                .storage(new SiteState.Storage(List.of(new SiteState.Pack("_site/packs/1-a.json", 2)), List.of(),
                        Map.of(1, StateJson.writeEntries(List.of(a)), 2, "[]".getBytes(StandardCharsets.UTF_8)), 3))
                .build();
        SiteState read = StateJson.readState(StateJson.writeState(state));
        assertThat(StateJson.writeState(read)).isEqualTo(StateJson.writeState(state));
        assertThat(StateJson.readEntries(read.storage().inline().get(1))).containsExactly(a);
    }
}
