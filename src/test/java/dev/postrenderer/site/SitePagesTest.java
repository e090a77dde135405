package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.render.PageLayout;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.site.ListingEdit.PageView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** The pages around the posts, each from just the posts it shows. */
class SitePagesTest {

    private static final RenderOptions OPTIONS = new RenderOptions(Optional.of("https://blog.example.com"),
            Optional.of("Blog & Co"), "en", RawHtmlPolicy.SANITIZE);
    private static final SitePages PAGES = new SitePages(OPTIONS, PageLayout.bundled());

    private static String html(SitePage page) {
        return new String(page.content(), StandardCharsets.UTF_8);
    }

    @Test
    void robotsNameTheSitemap() {
        assertThat(new String(PAGES.robots().content(), StandardCharsets.UTF_8))
                .isEqualTo("User-agent: *\nAllow: /\nSitemap: https://blog.example.com/sitemap.xml\n");
    }

    @Test
    void theFrontPageShowsItsPostsInTheOrderGiven() {
        String index = html(PAGES.front(Optional.empty(), new PageView(List.of(TestEntries.post("new", "2024-01-01"),
                TestEntries.post("old", "2020-01-01")), Optional.empty(), Optional.empty())));
        assertThat(index.indexOf("Title new")).isLessThan(index.indexOf("Title old"));
        assertThat(index).contains("<title>Blog &amp; Co</title>").doesNotContain("class=\"pagination\"");
    }

    @Test
    void theFrontPageIsDescribedByIndexMdElseBySiteDescription() {
        PageView view = new PageView(List.of(TestEntries.post("new", "2024-01-01")), Optional.empty(), Optional.empty());
        SitePages described = new SitePages(new RenderOptions(OPTIONS.siteUrl(), OPTIONS.siteName(), "en",
                RawHtmlPolicy.SANITIZE, Optional.of("Notes on serverless publishing.")), PageLayout.bundled());

        assertThat(Jsoup.parse(html(described.front(Optional.empty(), view))).select("meta[name=description]").attr("content"))
                .isEqualTo("Notes on serverless publishing.");
        assertThat(Jsoup.parse(html(described.front(Optional.of(new FrontPage(Optional.empty(),
                Optional.of("From index.md."), "")), view))).select("meta[name=description]").attr("content"))
                .isEqualTo("From index.md.");
        assertThat(Jsoup.parse(html(PAGES.front(Optional.empty(), view))).select("meta[name=description]")).isEmpty();
    }

    @Test
    void aTagPageIsDescribedByItsTagAndTheSite() {
        var page = Jsoup.parse(html(PAGES.tag("aws", "AWS", new PageView(List.of(TestEntries.post("new", "2024-01-01")),
                Optional.empty(), Optional.empty()))));

        assertThat(page.select("meta[name=description]").attr("content"))
                .isEqualTo("Posts tagged “AWS” on Blog & Co, newest first.");
    }

    @Test
    void theFirstCardImageLoadsAtOnceAndTheOthersLazily() {
        PostEntry plain = TestEntries.post("newest", "2024-02-01");
        PostEntry first = TestEntries.post("new", "2024-01-01").toBuilder().image(Optional.of("img/a.png")).build();
        PostEntry second = TestEntries.post("old", "2020-01-01").toBuilder().image(Optional.of("img/b.png")).build();
        var page = Jsoup.parse(html(PAGES.front(Optional.empty(), new PageView(List.of(plain, first, second),
                Optional.empty(), Optional.empty()))));

        var images = page.select(".post-card-image img");
        assertThat(images).hasSize(2);
        assertThat(images.get(0).hasAttr("loading")).as("the first image on the page loads at once").isFalse();
        assertThat(images.get(1).attr("loading")).isEqualTo("lazy");
    }

    @Test
    void aFrontPageWithOlderPostsLinksToTheNewestArchivePageAsItsNextPage() {
        var page = Jsoup.parse(html(PAGES.front(Optional.empty(), new PageView(List.of(TestEntries.post("new", "2024-01-01")),
                Optional.empty(), Optional.of("2023-05-01-00000001")))));
        assertThat(page.select("a[rel=next]").attr("href")).isEqualTo("page/2023-05-01-00000001/");
        assertThat(page.select("a[rel=prev]")).isEmpty();
    }

    @Test
    void anArchivePageLinksToTheNewerAndTheOlderPageWithItsDateRangeAsTitle() {
        SitePage page = PAGES.archive(SiteState.FRONT, Optional.empty(), "2023-05-01-00000001",
                new PageView(List.of(TestEntries.post("b", "2023-06-02"), TestEntries.post("a", "2023-05-01")),
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
                new PageView(List.of(TestEntries.post("a", "2023-05-01", "AI art")), Optional.empty(), Optional.empty()));
        assertThat(page.key()).isEqualTo("tags/ai-art/page/2023-05-01-00000001/index.html");
        var html = Jsoup.parse(html(page));
        assertThat(html.select("a[rel=prev]").attr("href")).isEqualTo("../../");
        assertThat(html.title()).startsWith("Posts tagged “AI art”");
    }

    @Test
    void theStateSurvivesARoundTripThroughJson() {
        PostEntry a = TestEntries.post("a", "2024-01-01", "x", "y");
        SiteState state = SiteState.EMPTY.toBuilder().version(7)
                .frontPage(Optional.of(new FrontPage(Optional.of("Home"), Optional.empty(), "<p>Hi</p>")))
                .listing(SiteState.FRONT, Optional.of(new ListingMeta("", 3, "i1", List.of(new DirectoryRef("i2",
                        a.position(), "2024-01-01-00000000", 1)))))
                .feed(List.of(FeedRef.of(a)))
                .fences(List.of(new Fence("posts/gone.md", Optional.of("00FF"), true, 1234)))
                .storage(new SiteState.Storage(List.of(new SiteState.Pack("_site/packs/1-a.json", 2)), List.of(),
                        Map.of(1, PartsJson.writeEntries(List.of(a)), 2, "[]".getBytes(StandardCharsets.UTF_8)), 3))
                .build();
        SiteState read = StateJson.readState(StateJson.writeState(state));
        assertThat(StateJson.writeState(read)).isEqualTo(StateJson.writeState(state));
        assertThat(PartsJson.readEntries(read.storage().inline().get(1))).containsExactly(a);
    }
}
