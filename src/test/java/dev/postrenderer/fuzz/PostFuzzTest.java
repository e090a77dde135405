package dev.postrenderer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.postrenderer.post.Author;
import dev.postrenderer.post.FrontMatter;
import dev.postrenderer.post.Head;
import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.render.HtmlEscaper;
import dev.postrenderer.render.PageRenderer;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import dev.postrenderer.testing.OutputOracle;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Fuzz targets. {@code mvn verify} runs them in regression mode, over the inputs kept in
 * {@code src/test/resources/dev/postrenderer/fuzz/PostFuzzTestInputs/<method>/} (the seeds and every
 * finding); {@code JAZZER_FUZZ=1 mvn test -Dtest='PostFuzzTest#method'} fuzzes one for real (see the README).
 */
@org.junit.jupiter.api.Order(4) // Jazzer's start takes seconds: started first
class PostFuzzTest {

    private static final PostParser PARSER = new PostParser(64 * 1024);
    private static final PageRenderer RENDERER = new PageRenderer(new RenderOptions(
            Optional.of("https://blog.example.com"), Optional.of("Fuzz"), "en", RawHtmlPolicy.SANITIZE));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Any bytes: a post, or an InvalidPostException naming the key; nothing else escapes. */
    @FuzzTest(maxDuration = "30s")
    void theParserEitherParsesOrRejectsClearly(byte[] content) {
        if (content == null) {
            return;
        }
        try {
            Post post = PARSER.parse(SourceKey.of("posts/fuzz.md"), content);
            // the body is the text after the front matter, line endings normalised, never invented
            String text = new String(content, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\r\n", "\n").replace('\r', '\n');
            assertThat(text).endsWith(post.body());
            assertThat(post.source().key()).isEqualTo("posts/fuzz.md");
        } catch (InvalidPostException e) {
            assertThat(e.key()).isEqualTo("posts/fuzz.md");
            assertThat(e.problem()).isNotBlank();
        }
    }

    /** Any post that parses renders to a page the output oracle accepts. */
    @FuzzTest(maxDuration = "30s")
    void everyRenderedPagePassesTheOracle(byte[] content) {
        if (content == null) {
            return;
        }
        Post post;
        try {
            post = PARSER.parse(SourceKey.of("posts/fuzz.md"), content);
        } catch (InvalidPostException e) {
            return;
        }
        OutputOracle.check(RENDERER.render(post).html());
    }

    /** Any title and description come back, through an HTML parser, as exactly the text written (whitespace collapsed). */
    @FuzzTest(maxDuration = "30s")
    void headValuesRoundTripThroughAnHtmlParser(FuzzedDataProvider data) throws Exception {
        String title = clean(data.consumeString(200));
        String description = clean(data.consumeRemainingAsString());
        if (HtmlEscaper.collapseWhitespace(title).isEmpty()) {
            return;
        }
        FrontMatter front = new FrontMatter(Optional.of(title), Optional.of(description), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Head.EMPTY, false, Optional.empty(),
                Optional.of(new Author(title, Optional.empty())), Map.of());
        String html = RENDERER.render(new Post(SourceKey.of("posts/fuzz.md"), front, "Body.", 1)).html();
        OutputOracle.check(html);
        Document page = Jsoup.parse(html);
        String expectedTitle = HtmlEscaper.collapseWhitespace(title);
        // wholeText: title() would turn a no-break space into a space, which is the parser's doing, not ours
        assertThat(codePoints(page.selectFirst("title").wholeText())).isEqualTo(codePoints(expectedTitle));
        assertThat(page.select("meta[property=og:title]").attr("content")).isEqualTo(expectedTitle);
        assertThat(page.select("meta[name=author]").attr("content")).isEqualTo(expectedTitle);
        String expectedDescription = HtmlEscaper.collapseWhitespace(description);
        if (!expectedDescription.isEmpty()) {
            assertThat(page.select("meta[name=description]").attr("content")).isEqualTo(expectedDescription);
        }
        var json = JSON.readTree(page.select("script[type=application/ld+json]").first().data());
        assertThat(json.get("headline").asText()).isEqualTo(expectedTitle);
    }

    /** No key ever maps to a site key outside its folder, starting with {@code _}, or with an empty segment. */
    @FuzzTest(maxDuration = "30s")
    void keysNeverLeaveTheirFolder(String key) {
        if (key == null) {
            return; // Jazzer's way of saying "no string at all"
        }
        SourceKey source;
        try {
            source = SourceKey.of(key);
        } catch (InvalidPostException e) {
            return;
        }
        source.siteKey().ifPresent(siteKey -> {
            assertThat(siteKey).doesNotStartWith("/").doesNotStartWith("_").doesNotContain("//");
            for (String segment : siteKey.split("/")) {
                assertThat(segment).isNotIn(".", "..");
                assertThat(segment).doesNotStartWith("_");
            }
            assertThat(siteKey.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
        });
    }

    private static List<String> codePoints(String text) {
        return text.codePoints().mapToObj(Integer::toHexString).toList();
    }

    /** What an HTML parser cannot give back: NUL and lone surrogates are not text. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> c != 0 && !Character.isSurrogate((char) c) && c != 0xFFFE && c != 0xFFFF
                && !(c >= 0xFDD0 && c <= 0xFDEF)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
