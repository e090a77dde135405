package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * cmark's known pathological inputs, each at the default post size cap, through the whole
 * renderer (front matter, markdown, sanitising, head, layout). The size cap exists because
 * commonmark-java is super-linear on some of these; each must still finish promptly.
 */
class PathologicalInputTest {

    private static final int CAP = 524_288;
    private static final PostParser PARSER = new PostParser(CAP);
    private static final PageRenderer RENDERER = new PageRenderer(new RenderOptions(
            Optional.of("https://blog.example.com"), Optional.of("Blog"), "en", RawHtmlPolicy.SANITIZE));

    static Stream<Arguments> shapes() {
        return Stream.of(
                shape("nested strong emphasis", "*a **a ", "", ""),
                shape("many emphasis closers with no openers", "a_ ", "", ""),
                shape("many emphasis openers with no closers", "_a ", "", ""),
                shape("many link closers with no openers", "a]", "", ""),
                shape("many link openers with no closers", "[a", "", ""),
                shape("mismatched openers and closers", "*a_ ", "", ""),
                shape("openers and closers multiple of 3", "a**b", "c* ", ""),
                shape("link openers and emphasis closers", "[ a_", "", ""),
                shape("pattern [ (]( repeated", "[ (](", "", ""),
                shape("nested brackets", "[", "a", "]"),
                shape("nested block quotes", "> ", "a", ""),
                Arguments.of("deeply nested lists", nestedLists()),
                shape("nested inline links", "[a](", "b", ")"),
                shape("backticks", "e`", "", ""),
                shape("unclosed links with angle brackets", "[a](<b", "", ""),
                shape("unclosed links", "[a](b", "", ""),
                shape("unclosed html comments", "</!-- ", "", ""),
                shape("many reference definitions", "[x]: /u\n", "", ""),
                shape("raw html tags to sanitise", "<div><span><b>", "x", ""),
                shape("long table", "|a|b|\n|-|-|\n", "", ""),
                shape("autolink candidates", "www.a.com/", "", ""),
                shape("many footnote references", "[^1]", "\n\n[^1]: note\n", ""),
                shape("hundred thousand short lines", "a\n", "", ""));
    }

    /** Each item one level deeper than the last, for as long as the cap allows. */
    private static String nestedLists() {
        StringBuilder body = new StringBuilder();
        for (int depth = 0; body.length() + depth * 2 + 5 < CAP - 64; depth++) {
            body.append("  ".repeat(depth)).append("* a\n");
        }
        return body.toString();
    }

    private static Arguments shape(String name, String repeated, String middle, String closing) {
        int room = CAP - 64 - middle.length();
        int perRepeat = repeated.length() + closing.length();
        int times = room / Math.max(1, perRepeat);
        String body = repeated.repeat(times) + middle + closing.repeat(closing.isEmpty() ? 0 : times);
        return Arguments.of(name, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @Timeout(15)
    void pathologicalShapesAtTheSizeCapRenderPromptly(String name, String body) {
        byte[] content = ("---\ntitle: " + name + "\n---\n" + body).getBytes(StandardCharsets.UTF_8);
        assertThat(content.length).isLessThanOrEqualTo(CAP);
        String html = RENDERER.render(PARSER.parse(SourceKey.of("posts/pathological.md"), content)).html();
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }
}
