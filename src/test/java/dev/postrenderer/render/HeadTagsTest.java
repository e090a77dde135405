package dev.postrenderer.render;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.testing.OutputOracle;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HeadTagsTest {

    private static final RenderOptions SITE = new RenderOptions(Optional.of("https://blog.example.com/"),
            Optional.of("Example Blog"), "en", RawHtmlPolicy.SANITIZE);
    private static final PageRenderer RENDERER = new PageRenderer(SITE);
    private static final PostParser PARSER = new PostParser(524_288);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NASTY = "My \"post\" & <b>";

    private static String render(String key, String text) {
        String html = RENDERER.render(PARSER.parse(SourceKey.of(key), text.getBytes(UTF_8))).html();
        OutputOracle.check(html);
        return html;
    }

    private static Document page(String text) {
        return Jsoup.parse(render("posts/example.md", text));
    }

    private static List<String> contents(Document page, String attribute, String key) {
        return page.select("meta[" + attribute + "=" + key + "]").eachAttr("content");
    }

    private static JsonNode jsonLd(Document page) throws Exception {
        List<Element> scripts = page.select("script[type=application/ld+json]");
        assertThat(scripts).hasSize(1);
        return JSON.readTree(scripts.get(0).data());
    }

    @Test
    void aTitleWithQuotesAmpersandAndTagsIsTextInTheTitleElement() {
        String html = render("posts/example.md", "---\ntitle: '" + NASTY + "'\n---\nBody.");
        assertThat(html).contains("<title>My &quot;post&quot; &amp; &lt;b&gt;</title>");
        assertThat(Jsoup.parse(html).title()).isEqualTo(NASTY);
        assertThat(html.substring(0, html.indexOf("</head>"))).doesNotContain("<b>");
    }

    @Test
    void aTitleWithQuotesAmpersandAndTagsIsTextInEveryMetaTag() {
        String html = render("posts/example.md", "---\ntitle: '" + NASTY + "'\ndescription: '" + NASTY + "'\n---\nBody.");
        assertThat(html).contains("<meta property=\"og:title\" content=\"My &quot;post&quot; &amp; &lt;b&gt;\">");
        Document page = Jsoup.parse(html);
        assertThat(contents(page, "property", "og:title")).containsExactly(NASTY);
        assertThat(contents(page, "name", "twitter:title")).containsExactly(NASTY);
        assertThat(contents(page, "name", "description")).containsExactly(NASTY);
        assertThat(contents(page, "property", "og:description")).containsExactly(NASTY);
        assertThat(contents(page, "name", "twitter:description")).containsExactly(NASTY);
    }

    @Test
    void aTitleWithQuotesAmpersandAndTagsIsTextInTheJsonLd() throws Exception {
        String html = render("posts/example.md", "---\ntitle: '" + NASTY + "'\ndescription: '</script><script>x'\n---\nB.");
        String script = html.substring(html.indexOf("<script type=\"application/ld+json\">"), html.indexOf("</head>"));
        assertThat(script).contains("\"headline\":\"My \\\"post\\\" \\u0026 \\u003cb\\u003e\"")
                .doesNotContain("&amp;", "&quot;", "<b>", "</script><script>");
        JsonNode json = jsonLd(Jsoup.parse(html));
        assertThat(json.get("headline").asText()).isEqualTo(NASTY);
        assertThat(json.get("description").asText()).isEqualTo("</script><script>x");
    }

    @Test
    void jsonLdEscapesJavaScriptLineSeparatorsAndHtmlCharacters() throws Exception {
        String json = JsonLd.write(java.util.Map.of("k", "a\u2028b\u2029c </script> & 'q'"));
        assertThat(json).isEqualTo("{\"k\":\"a\\u2028b\\u2029c \\u003c/script\\u003e \\u0026 \\u0027q\\u0027\"}");
        assertThat(JSON.readTree(json).get("k").asText()).isEqualTo("a\u2028b\u2029c </script> & 'q'");
    }

    @Test
    void charsetIsTheFirstMetaAndEachSingleValuedTagAppearsOnce() {
        Document page = page("---\ntitle: T\ndescription: D\nimage: img/a.png\ndate: 2024-01-02\ntags: [x, y]\n---\nB.");
        assertThat(page.select("head meta").first().attr("charset")).isEqualTo("utf-8");
        for (String property : List.of("og:type", "og:title", "og:description", "og:url", "og:site_name", "og:image")) {
            assertThat(contents(page, "property", property)).as(property).hasSize(1);
        }
        for (String name : List.of("description", "twitter:card", "twitter:title", "twitter:description", "twitter:image")) {
            assertThat(contents(page, "name", name)).as(name).hasSize(1);
        }
        assertThat(page.select("title")).hasSize(1);
        assertThat(page.select("link[rel=canonical]")).hasSize(1);
        assertThat(contents(page, "property", "article:tag")).containsExactly("x", "y");
    }

    @Test
    void openGraphUsesPropertyAndTwitterUsesName() {
        Document page = page("---\ntitle: T\n---\nB.");
        assertThat(page.select("meta[name^=og:]")).isEmpty();
        assertThat(page.select("meta[property^=twitter:]")).isEmpty();
    }

    @Test
    void canonicalAndOgUrlAreAbsoluteAndEncodedOnce() {
        Document page = Jsoup.parse(render("posts/my first post.md", "---\ntitle: T\n---\nB."));
        assertThat(page.select("link[rel=canonical]").attr("href")).isEqualTo("https://blog.example.com/posts/my%20first%20post/");
        assertThat(contents(page, "property", "og:url")).containsExactly("https://blog.example.com/posts/my%20first%20post/");
    }

    @Test
    void theImageComesFirstWithItsDetailsRightAfterIt() {
        Document page = page("""
                ---
                title: T
                image:
                  src: img/cover (1).JPG
                  alt: A cover
                  width: 1200
                  height: 630
                  type: image/jpeg
                ---
                B.""");
        List<String> properties = page.select("meta[property^=og:image]").eachAttr("property");
        assertThat(properties).containsExactly("og:image", "og:image:alt", "og:image:width", "og:image:height", "og:image:type");
        Element image = page.selectFirst("meta[property=og:image]");
        assertThat(image.attr("content")).isEqualTo("https://blog.example.com/img/cover%20(1).JPG");
        assertThat(image.nextElementSibling().attr("content")).isEqualTo("A cover");
        assertThat(contents(page, "name", "twitter:card")).containsExactly("summary_large_image");
    }

    @Test
    void imgIsTheFallbackImage() {
        Document page = page("---\ntitle: T\nimg: img/cover (1).JPG\n---\nB.");
        assertThat(contents(page, "property", "og:image")).containsExactly("https://blog.example.com/img/cover%20(1).JPG");
    }

    @Test
    void anEncodedImagePathIsNotEncodedTwice() {
        Document page = page("---\ntitle: T\nimage: /img/cover%20(1).JPG\n---\nB.");
        assertThat(contents(page, "property", "og:image")).containsExactly("https://blog.example.com/img/cover%20(1).JPG");
    }

    @Test
    void withoutASiteUrlThereIsNoCanonicalAndNoRelativeOgImage() {
        PageRenderer local = new PageRenderer(RenderOptions.DEFAULTS);
        String html = local.render(PARSER.parse(SourceKey.of("posts/a.md"), "---\ntitle: T\nimage: img/a.png\n---\nB.".getBytes(UTF_8))).html();
        Document page = Jsoup.parse(html);
        assertThat(page.select("link[rel=canonical]")).isEmpty();
        assertThat(page.select("meta[property=og:url], meta[property=og:image]")).isEmpty();
        assertThat(contents(page, "name", "twitter:card")).containsExactly("summary");
    }

    @Test
    void explicitHeadMetaWinsInPlaceOfTheDerivedTag() {
        Document page = page("""
                ---
                title: Derived title
                description: Derived description
                image: img/a.png
                head:
                  meta:
                    - property: og:title
                      content: Explicit title
                    - name: twitter:card
                      content: summary
                    - property: og:image
                      content: https://cdn.example/banner.png
                    - name: keywords
                      content: a, b
                ---
                B.""");
        assertThat(contents(page, "property", "og:title")).containsExactly("Explicit title");
        assertThat(contents(page, "name", "twitter:card")).containsExactly("summary");
        assertThat(contents(page, "property", "og:image")).containsExactly("https://cdn.example/banner.png");
        assertThat(page.select("meta[property^=og:image:]")).as("details of the derived image").isEmpty();
        assertThat(contents(page, "name", "keywords")).containsExactly("a, b");
        List<String> order = page.select("meta[property]").eachAttr("property");
        assertThat(order.indexOf("og:title")).isLessThan(order.indexOf("og:description"));
        assertThat(page.title()).isEqualTo("Derived title");
    }

    @Test
    void theLastOfRepeatedSingleValuedEntriesWins() {
        Document page = page("""
                ---
                title: T
                head:
                  meta:
                    - name: robots
                      content: index
                    - name: robots
                      content: noindex
                ---
                B.""");
        assertThat(contents(page, "name", "robots")).containsExactly("noindex");
    }

    @Test
    void headTitleAndDescriptionWinOverTheFrontMatterOnes() {
        Document page = page("---\ntitle: T\ndescription: D\nhead:\n  title: HT\n  description: HD\n---\nB.");
        assertThat(page.title()).isEqualTo("HT");
        assertThat(contents(page, "name", "description")).containsExactly("HD");
    }

    @Test
    void anExplicitCanonicalWinsAndOgUrlFollowsIt() {
        Document page = page("---\ntitle: T\nhead:\n  link:\n    - rel: canonical\n      href: https://example.org/original\n---\nB.");
        assertThat(page.select("link[rel=canonical]").eachAttr("href")).containsExactly("https://example.org/original");
        assertThat(contents(page, "property", "og:url")).containsExactly("https://example.org/original");
    }

    @Test
    void articleTagsFollowOgTypeArticleOnly() {
        Document website = page("---\ntitle: T\ndate: 2024-01-01\ntags: [a]\nhead:\n  meta:\n    - property: og:type\n      content: website\n---\nB.");
        assertThat(website.select("meta[property^=article:]")).isEmpty();
        Document article = page("---\ntitle: T\ndate: 2024-01-01\ntags: [a]\n---\nB.");
        assertThat(contents(article, "property", "article:published_time")).containsExactly("2024-01-01");
    }

    @Test
    void jsonLdDatesAgreeWithTheArticleTags() throws Exception {
        Document page = page("---\ntitle: T\ndate: 2024-03-18\nupdated: 2024-04-02T09:30:00Z\nauthor: Ada Park\n---\nB.");
        JsonNode json = jsonLd(page);
        assertThat(json.get("@type").asText()).isEqualTo("BlogPosting");
        assertThat(json.get("datePublished").asText()).isEqualTo(contents(page, "property", "article:published_time").get(0));
        assertThat(json.get("dateModified").asText()).isEqualTo(contents(page, "property", "article:modified_time").get(0));
        assertThat(json.get("author").isObject()).isTrue();
        assertThat(json.get("author").get("@type").asText()).isEqualTo("Person");
        assertThat(json.get("author").get("name").asText()).isEqualTo("Ada Park");
    }

    @Test
    void titleAndDescriptionFallBackToTheBodyAndTheFileName() {
        Document fromBody = Jsoup.parse(render("posts/x.md", "# Heading Title\n\nFirst paragraph here.\n"));
        assertThat(fromBody.title()).isEqualTo("Heading Title");
        assertThat(contents(fromBody, "name", "description")).containsExactly("First paragraph here.");
        Document fromName = Jsoup.parse(render("posts/no-title.md", "Just text.\n"));
        assertThat(fromName.title()).isEqualTo("No title");
        assertThat(fromName.select("h1").text()).isEqualTo("No title");
    }

    @Test
    void aPageHasExactlyOneH1() {
        assertThat(page("# Body heading\n\n# Another\n").select("h1")).hasSize(1);
        assertThat(page("---\ntitle: T\n---\nText\n\n# Late heading\n").select("h1")).hasSize(1);
    }

    @Test
    void langComesFromTheFrontMatterOrTheSite() {
        assertThat(page("---\nlang: de\n---\nB.").selectFirst("html").attr("lang")).isEqualTo("de");
        assertThat(page("B.").selectFirst("html").attr("lang")).isEqualTo("en");
    }
}
