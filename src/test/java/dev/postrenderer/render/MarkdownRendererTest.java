package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.testing.OutputOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownRendererTest {

    private static final MarkdownRenderer SANITIZE = new MarkdownRenderer(RawHtmlPolicy.SANITIZE);
    private static final MarkdownRenderer ESCAPE = new MarkdownRenderer(RawHtmlPolicy.ESCAPE);
    private static final MarkdownRenderer ALLOW = new MarkdownRenderer(RawHtmlPolicy.ALLOW);
    private static final SourceKey POST = SourceKey.of("posts/example.md");

    private static String html(String markdown) {
        return SANITIZE.render(markdown, POST).html();
    }

    @Test
    void gfmTablesRenderWithAlignmentAsClasses() {
        String html = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assertThat(html).contains("<table>", "<th class=\"align-left\">a</th>", "<td class=\"align-right\">2</td>")
                .doesNotContain("align=");
    }

    @Test
    void strikethroughAutolinksAndTaskListsRender() {
        assertThat(html("~~gone~~")).contains("<del>gone</del>");
        assertThat(html("see https://commonmark.org now")).contains("<a href=\"https://commonmark.org\">https://commonmark.org</a>");
        assertThat(html("- [x] done\n- [ ] todo\n"))
                .contains("<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\"> done")
                .contains("<input type=\"checkbox\" disabled=\"\" aria-label=\"todo\"> todo");
    }

    @Test
    void aTaskListCheckboxIsNamedByItsTaskForScreenReaders() {
        assertThat(html("- [x] Upload the **post**\n  - a nested note\n"))
                .contains("<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Upload the post\">");
        assertThat(html("- [ ] Mixed <span>raw</span> html\n")).contains("aria-label=\"Mixed raw html\"");
    }

    @Test
    void footnotesRenderAsASection() {
        String html = html("Claim.[^1]\n\n[^1]: Source.\n");
        assertThat(html).contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a></sup>")
                .contains("<section class=\"footnotes\" data-footnotes>");
    }

    @Test
    void headingsGetStableUniqueIds() {
        String html = html("## Hello World\n\n## Hello World\n\n### Café & Co\n");
        assertThat(html).contains("<h2 id=\"hello-world\">", "<h2 id=\"hello-world-1\">", "<h3 id=\"café--co\">");
        assertThat(html("## Hello World")).isEqualTo(html("## Hello World"));
    }

    @Test
    void aLeadingLevelOneHeadingBecomesThePageTitle() {
        RenderedBody body = SANITIZE.render("# The *Title*\n\nFirst paragraph.\n\n# Another\n", POST);
        assertThat(body.titleHtml()).contains("<h1 id=\"the-title\">The <em>Title</em></h1>");
        assertThat(body.firstHeading()).contains("The Title");
        assertThat(body.html()).startsWith("<p>First paragraph.</p>")
                .contains("<h2 id=\"another\">Another</h2>")
                .doesNotContain("<h1");
    }

    @Test
    void withoutALeadingHeadingEveryLevelOneHeadingIsDemoted() {
        RenderedBody body = SANITIZE.render("Intro.\n\n# Later\n", POST);
        assertThat(body.titleHtml()).isEmpty();
        assertThat(body.firstHeading()).contains("Later");
        assertThat(body.html()).doesNotContain("<h1").contains("<h2 id=\"later\">Later</h2>");
    }

    @Test
    void theFirstParagraphIsPlainTextCutNearTheLimit() {
        RenderedBody body = SANITIZE.render("![cover](a.png)\n\nSome **bold** and `code`\nacross lines.\n\nSecond.", POST);
        assertThat(body.firstParagraph()).contains("Some bold and code across lines.");
        String words = "word ".repeat(60);
        String summary = SANITIZE.render(words, POST).firstParagraph().orElseThrow();
        assertThat(summary).endsWith("word…").hasSizeLessThanOrEqualTo(161);
    }

    @Test
    void relativeLinksAndImagesAreRewrittenForThePrettyUrl() {
        String html = html("![p](../img/pipeline.png) [post](ai-art.md#intro) [same](./other.markdown)"
                + " [root](/img/a%20b.png) [asset](files/report.pdf) [up](../../outside.md)");
        assertThat(html).contains("src=\"../../img/pipeline.png\"")
                .contains("href=\"../ai-art/#intro\"")
                .contains("href=\"../other/\"")
                .contains("href=\"../../img/a%20b.png\"")
                .contains("href=\"../files/report.pdf\"")
                .contains("href=\"../../outside.md\"");
    }

    @Test
    void linksToPostsWithSpacesAndNonAsciiNamesArePercentEncodedOnce() {
        String html = html("[a](my%20first%20post.md) [b](<café-über.md>)");
        assertThat(html).contains("href=\"../my%20first%20post/\"").contains("href=\"../caf%C3%A9-%C3%BCber/\"");
    }

    @Test
    void absoluteLinksAndFragmentsAreLeftAlone() {
        String html = html("[a](https://example.org/x.md) [b](#section) [c](mailto:me@example.org) [d](//cdn.example/x)");
        assertThat(html).contains("href=\"https://example.org/x.md\"", "href=\"#section\"",
                "href=\"mailto:me@example.org\"", "href=\"//cdn.example/x\"");
    }

    @Test
    void theAuthorsOwnLinksAreNotNofollow() {
        assertThat(html("[a](https://example.org)")).doesNotContain("nofollow");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&colon;alert(1))",
        "[x](%20javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[x](file:///etc/passwd)",
    })
    void dangerousUrlsNeverSurviveAnyPolicy(String markdown) {
        for (MarkdownRenderer renderer : new MarkdownRenderer[] {SANITIZE, ESCAPE, ALLOW}) {
            String html = renderer.render(markdown, POST).html().toLowerCase();
            if (renderer != ALLOW) {
                // raw HTML is the operator's to trust under ALLOW; markdown URLs are checked below for all
                assertThat(OutputOracle.violations(html)).isEmpty();
            }
            assertThat(html).doesNotContain("href=\"javascript", "src=\"javascript", "href=\"vbscript",
                    "href=\"data:", "src=\"data:", "href=\"file:", "href=\"%20javascript");
        }
    }

    @Test
    void dangerousLinksKeepTheirText() {
        assertThat(html("[click *me*](javascript:alert(1))")).isEqualTo("<p>click <em>me</em></p>\n");
        assertThat(html("![a cat](javascript:alert(1))")).isEqualTo("<p>a cat</p>\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"  java&#x09;script:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object>",
        "<embed src=\"x.swf\">",
        "<form action=\"https://evil.example\"><input name=q></form>",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<style>body{display:none}</style>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
        "text <b onmouseover=alert(1)>bold</b> text",
        "<details open ontoggle=alert(1)><summary>x</summary></details>",
    })
    void rawHtmlIsSanitisedByDefault(String markdown) {
        String html = html(markdown).toLowerCase();
        assertThat(OutputOracle.violations(html)).isEmpty();
        assertThat(html).doesNotContain("<script", "onerror", "onmouseover", "ontoggle", "javascript:", "vbscript:",
                "<iframe", "<object", "<embed", "<form", "<base", "<meta", "<style", "style=", "data:text");
    }

    @Test
    void safeRawHtmlIsKept() {
        String html = html("<details><summary>More</summary>\n\nHidden <kbd>Ctrl</kbd> text.\n\n</details>\n\n"
                + "A <abbr title=\"HyperText\">HTML</abbr> note.");
        assertThat(html).contains("<details>", "<summary>More</summary>", "<kbd>Ctrl</kbd>",
                "<abbr title=\"HyperText\">HTML</abbr>");
    }

    @Test
    void rawHtmlLinksAreRewrittenLikeMarkdownLinks() {
        String html = html("<a href=\"other.md\">x</a> [y](ai-art.md) <img src=\"../img/a b.png\" alt=\"a\">");
        assertThat(html).contains("<a href=\"../other/\">x</a>", "<a href=\"../ai-art/\">y</a>",
                "<img src=\"../../img/a%20b.png\" alt=\"a\" loading=\"lazy\" decoding=\"async\">");
    }

    @Test
    void theFirstBodyImageLoadsAtOnceAndTheOthersLazilyWhetherMarkdownOrRawHtml() {
        // the first is likely in view as the page opens: loading it lazily would delay the largest paint
        assertThat(html("![A chart](chart.png)\n\n![A table](table.png)")).contains(
                "<img src=\"../chart.png\" alt=\"A chart\" decoding=\"async\" />",
                "<img src=\"../table.png\" alt=\"A table\" loading=\"lazy\" decoding=\"async\" />");
        assertThat(html("<img src=\"chart.png\" alt=\"Raw\">")).contains(
                "<img src=\"../chart.png\" alt=\"Raw\" loading=\"lazy\" decoding=\"async\">");
    }

    @Test
    void onlyCheckboxInputsSurvive() {
        assertThat(html("<input type=\"text\" name=\"q\"> <input type=\"checkbox\" checked>"))
                .doesNotContain("type=\"text\"")
                .contains("<input type=\"checkbox\" checked disabled>");
    }

    @Test
    void escapePolicyShowsRawHtmlAsText() {
        assertThat(ESCAPE.render("<b>bold</b>", POST).html()).isEqualTo("<p>&lt;b&gt;bold&lt;/b&gt;</p>\n");
    }

    @Test
    void allowPolicyTrustsRawHtml() {
        assertThat(ALLOW.render("<span style=\"color:red\">red</span>", POST).html())
                .isEqualTo("<p><span style=\"color:red\">red</span></p>\n");
    }
}
