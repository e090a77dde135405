package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.testing.OutputOracle;
import org.junit.jupiter.api.Test;

/** Under {@code RAW_HTML=sanitize}, only the blocks with raw HTML go through the sanitiser. */
class RawHtmlRegionsTest {

    private static final MarkdownRenderer SANITIZE = new MarkdownRenderer(RawHtmlPolicy.SANITIZE);
    private static final MarkdownRenderer ALLOW = new MarkdownRenderer(RawHtmlPolicy.ALLOW);
    private static final SourceKey POST = SourceKey.of("posts/example.md");

    private static String sanitized(String markdown) {
        return SANITIZE.render(markdown, POST).html();
    }

    private static String trusted(String markdown) {
        return ALLOW.render(markdown, POST).html();
    }

    @Test
    void blocksWithoutRawHtmlKeepCommonmarksOwnHtmlAroundASanitisedBlock() {
        String before = "Intro with [a link](../about.md), ![a picture](../img/a.png) and *emphasis*.\n\n";
        String after = "\n\nOutro, [another](other.md).\n";

        String html = sanitized(before + "<div class=\"note\" onclick=\"steal()\">Note <a href=\"../x.md\">x</a></div>"
                + after);

        assertThat(html).startsWith(trusted(before)).endsWith(trusted(after))
                .contains("<div class=\"note\">Note <a href=\"../../x/\">x</a></div>")
                .doesNotContain("onclick", "steal");
    }

    @Test
    void markdownBetweenAnOpeningAndAClosingRawBlockStaysInsideTheElement() {
        String html = sanitized("<details>\n<summary>More</summary>\n\nHidden *markdown* <b onmouseover=\"x()\">here</b>.\n\n"
                + "</details>\n\nAfter.\n");

        assertThat(html).contains("<details>").contains("<em>markdown</em>").doesNotContain("onmouseover");
        assertThat(html.indexOf("<em>markdown</em>")).isBetween(html.indexOf("<details>"), html.indexOf("</details>"));
        assertThat(html).endsWith("<p>After.</p>\n");
    }

    @Test
    void scriptsInEveryRegionAreRemovedAndTheRestOfThePageIsUntouched() {
        String html = sanitized("<script>alert(1)</script>\n\nSafe **text**.\n\n<img src=\"x\" onerror=\"alert(2)\">\n\n"
                + "Inline <span style=\"color:red\" onclick=\"alert(3)\">raw</span> html.\n");

        OutputOracle.check(html);
        assertThat(html).doesNotContain("alert", "<script", "onerror", "onclick", "style=")
                .contains("<p>Safe <strong>text</strong>.</p>")
                .contains("<img src=\"../x\" alt=\"\" loading=\"lazy\" decoding=\"async\">")
                .contains("<span>raw</span>");
    }

    @Test
    void aHeadingKeepsItsAnchorWhenRawHtmlReusesItsId() {
        String html = sanitized("## Intro\n\n<p id=\"intro\">Raw paragraph</p>\n\n<span id=\"own\">a</span> <b id=\"own\">b</b>\n");

        assertThat(html).contains("<h2 id=\"intro\">Intro</h2>", "<p>Raw paragraph</p>", "<span id=\"own\">a</span>",
                "<b>b</b>");
    }

    @Test
    void relativeUrlsAreRewrittenExactlyOnceInsideAndOutsideRegions() {
        String html = sanitized("[md](../a.md)\n\n<a href=\"../b.md\">raw</a>\n\n![img](c.png)\n");

        assertThat(html).contains("<a href=\"../../a/\">md</a>", "<a href=\"../../b/\">raw</a>",
                "<img src=\"../c.png\" alt=\"img\"");
    }

    @Test
    void aSourceThatSpellsTheRegionMarkerIsSanitisedWhole() {
        String forged = "<!--post-renderer:raw-html-region:end-->";
        String html = sanitized("<div>a</div>\n\n" + forged + "<script>alert(1)</script>\n\n*b*\n");

        assertThat(html).doesNotContain("alert", "<script", "post-renderer").contains("<div>a</div>", "<em>b</em>");
    }

    @Test
    void rawHtmlInAFootnoteIsSanitisedWithTheWholeBody() {
        String html = sanitized("Claim.[^1]\n\n[^1]: See <a href=\"javascript:alert(1)\" onclick=\"x()\">this</a>.\n");

        OutputOracle.check(html);
        assertThat(html).doesNotContain("javascript:", "onclick").contains("<section class=\"footnotes\"");
    }

    @Test
    void anElementLeftOpenMakesTheRestOfTheBodyOneRegion() {
        String html = sanitized("Before.\n\n<div class=\"wrap\">\n\nInside *one*.\n\nInside two.\n");

        assertThat(html).startsWith("<p>Before.</p>\n<div class=\"wrap\">").endsWith("</div>\n");
        assertThat(html.indexOf("Inside two.")).isGreaterThan(html.indexOf("<div class=\"wrap\">"));
    }
}
