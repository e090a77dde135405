package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.SourceKey;
import dev.postrenderer.testing.CodeSamples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodeHighlightingTest {

    private static final MarkdownRenderer RENDERER = new MarkdownRenderer(RawHtmlPolicy.SANITIZE);
    private static final SourceKey POST = SourceKey.of("posts/code.md");

    /** A snippet per supported language, and a token its tokenizer (not the plain fallback) marks. */
    static final Map<String, String[]> SAMPLES = CodeSamples.BY_LANGUAGE;

    static java.util.stream.Stream<String> languages() {
        return SAMPLES.keySet().stream();
    }

    private static String render(String markdown) {
        return RENDERER.render(markdown, POST).html();
    }

    @ParameterizedTest
    @MethodSource("languages")
    void everySupportedLanguageGetsItsOwnTokenizer(String language) {
        assertThat(CodeHighlighter.canonical()).contains(language);
        String[] sample = SAMPLES.get(language);
        assertThat(render("```" + language + "\n" + sample[0] + "\n```\n")).contains(sample[1]);
    }

    @Test
    void everyLanguageTheHighlighterKnowsHasASample() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(CodeHighlighter.canonical());
    }

    @Test
    void aliasesNameTheSameLanguages() {
        for (String alias : new String[] {"js", "ts", "py", "yml", "sh", "bash", "shell", "console", "golang", "rs",
                "c++", "docker", "kt", "patch"}) {
            assertThat(CodeHighlighter.language(alias)).as(alias).isPresent();
        }
        assertThat(render("```js\nconst x = 1;\n```\n")).contains("<span class=\"k\">const</span>");
    }

    @Test
    void eachLineIsItsOwnSpanAndTheLanguageStaysAClass() {
        String html = render("```java\nint a;\nint b;\n```\n");
        assertThat(html).isEqualTo("<pre class=\"highlight\"><code class=\"language-java\"><span class=\"line\">"
                + "<span class=\"kt\">int</span> a;</span>\n<span class=\"line\"><span class=\"kt\">int</span> b;</span>\n"
                + "</code></pre>\n");
    }

    @Test
    void aCommentOrStringAcrossLinesKeepsItsClassOnEachLine() {
        String html = render("```java\n/* one\n   two */\nString s = \"\"\"\n  text\n  \"\"\";\n```\n");
        assertThat(html).contains("<span class=\"cm\">/* one</span>", "<span class=\"cm\">   two */</span>",
                "<span class=\"s2\">  text</span>");
    }

    @Test
    void codeIsEscapedNeverMarkup() {
        String html = render("```html\n<script>alert(1)</script>\n```\n");
        assertThat(html).doesNotContain("<script>").contains("&lt;");
        assertThat(render("```\n<b>x</b>\n```\n")).isEqualTo("<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n");
    }

    @Test
    void anUnknownLanguageIsPlainEscapedTextNeverAnError() {
        String html = render("```brainfuck\n+[<>]\n```\n");
        assertThat(html).isEqualTo("<pre class=\"highlight\"><code class=\"language-brainfuck\"><span class=\"line\">"
                + "+[&lt;&gt;]</span>\n</code></pre>\n");
    }

    @Test
    void optionsHighlightLinesNumberThemAndGiveACaption() {
        String html = render("```go {1,3-4} linenos title=\"main.go\"\na\nb\nc\nd\ne\n```\n");
        assertThat(html).startsWith("<figure class=\"code-block\"><figcaption>main.go</figcaption>\n"
                + "<pre class=\"highlight linenos\"><code class=\"language-go\">");
        assertThat(html).containsSubsequence("<span class=\"line hl\">a", "<span class=\"line\">b",
                "<span class=\"line hl\">c", "<span class=\"line hl\">d", "<span class=\"line\">e");
        assertThat(html).endsWith("</code></pre></figure>\n");
    }

    @Test
    void badOptionsAreIgnoredWithAWarningNamingTheLine() {
        RenderedBody body = RENDERER.render("Text.\n\n```java {x-2} wrap\nint a;\n```\n", POST, 10);
        assertThat(body.html()).contains("<span class=\"kt\">int</span>");
        assertThat(body.warnings()).containsExactly(
                "line 12: line range 'x-2' is not a number or a range such as 3-5; ignored",
                "line 12: unknown code block option 'wrap' (known: {1,3-5}, linenos, title=\"…\"); ignored");
    }

    @Test
    void aBlockInsideSanitisedRawHtmlKeepsItsHighlighting() {
        String html = render("<details>\n<summary>Code</summary>\n\n```java\nint a;\n```\n\n</details>\n");
        assertThat(html).contains("<pre class=\"highlight\"><code class=\"language-java\"><span class=\"line\">"
                + "<span class=\"kt\">int</span> a;</span>");
        String whole = new MarkdownRenderer(RawHtmlPolicy.SANITIZE).render("<div>\n\n```java\nint a;\n```\n\n"
                + "[^1]\n\n[^1]: <b>note</b>\n", POST).html(); // a footnote with raw HTML: the whole body is sanitised
        assertThat(whole).contains("<span class=\"kt\">int</span>");
    }

    @Test
    void onlyPagesWithHighlightedCodeCarryThePalette() {
        assertThat(RENDERER.render("```java\nint a;\n```\n", POST).hasCode()).isTrue();
        assertThat(RENDERER.render("Just `inline` code.\n\n```\nplain\n```\n", POST).hasCode()).isFalse();
    }

    @Test
    void aBlockTooLargeToTokenizeIsPlainInItsLines() {
        String code = "\"" + "x".repeat(CodeHighlighter.MAX_CHARS);
        String html = render("```java\n" + code + "\n```\n");
        assertThat(html).contains("<span class=\"line\">&quot;xxx").doesNotContain("class=\"s2\"");
    }

    @Test
    void everyTokenColourHasAaContrastOnTheCodeBackgroundAndOnAHighlightedLineInBothSchemes() throws IOException {
        String style = resource("style.css");
        String code = resource("code.css");
        for (boolean dark : new boolean[] {false, true}) {
            Map<String, String> vars = new LinkedHashMap<>(variables(style, dark));
            vars.putAll(variables(code, dark));
            for (String background : new String[] {"--code-bg", "--code-hl-bg"}) {
                for (Map.Entry<String, String> colour : vars.entrySet()) {
                    String name = colour.getKey();
                    if (!name.startsWith("--code-") || name.endsWith("-bg") || name.equals("--code-bg")) {
                        continue;
                    }
                    String against = name.equals("--code-inserted") || name.equals("--code-deleted")
                            ? name + "-bg" : background;
                    assertThat(contrast(colour.getValue(), vars.get(against)))
                            .as("%s %s on %s", dark ? "dark" : "light", name, against).isGreaterThanOrEqualTo(4.5);
                }
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CodeHighlightingTest.class.getResourceAsStream("/layouts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The custom properties of the light scheme (the first :root) or the dark one (inside the media query). */
    private static Map<String, String> variables(String css, boolean dark) {
        int media = css.indexOf("@media (prefers-color-scheme: dark)");
        String block = dark ? css.substring(media) : css.substring(0, media);
        block = block.substring(block.indexOf(":root"), block.indexOf('}', block.indexOf(":root")));
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(--[a-z-]+):\\s*(#[0-9a-fA-F]{6});").matcher(block);
        while (matcher.find()) {
            vars.put(matcher.group(1), matcher.group(2));
        }
        return vars;
    }

    /** WCAG 2 contrast ratio of two #rrggbb colours. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double[] rgb = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            rgb[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    }
}
