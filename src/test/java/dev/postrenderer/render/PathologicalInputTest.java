package dev.postrenderer.render;

import org.junit.jupiter.api.parallel.Isolated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * cmark's known pathological inputs and the shapes commonmark-java 0.30 is quadratic on, each at
 * the default post size cap, through the whole renderer (front matter, markdown, sanitising,
 * head, layout): each is rendered, or refused as too complex, within 2 s of this thread's CPU.
 * The shapes just under {@link MarkdownComplexity}'s limits, the most expensive posts it lets
 * through, are rendered within the same bound; ordinary large posts are never refused.
 */
@Isolated
class PathologicalInputTest {

    private static final int CAP = 524_288;
    private static final PostParser PARSER = new PostParser(CAP);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
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
                shape("unclosed inline tags", "<b>x", "", ""),
                shape("nested inline tags", "<span><b>x", "", ""),
                shape("balanced inline tags in one paragraph", "<i>x</i>", "", ""),
                shape("long table", "|a|b|\n|-|-|\n", "", ""),
                shape("autolink candidates", "www.a.com/", "", ""),
                // GFM autolinks: invalid domains in one word, a link that sheds its trailing parentheses, emails
                shape("near-autolinks in one word", "(www.", "", ""),
                shape("autolink with unbalanced parentheses", "(", " www.a.com/", ")"),
                shape("email candidates", "a.b-c@a.b-", "", ""),
                shape("many footnote references", "[^1]", "\n\n[^1]: note\n", ""),
                shape("hundred thousand short lines", "a\n", "", ""),
                // commonmark-java 0.30 is quadratic on these (measured: up to 4 s at 64 KB, minutes at the cap)
                Arguments.of("emphasis openers then mixed closers", mixedEmphasis((CAP - 100) / 8)),
                Arguments.of("emphasis on every line", "*a\n".repeat((CAP - 100) / 8) + "_a*_\n".repeat((CAP - 100) / 8 / 2)),
                shape("lines of a single pipe", "|\n", "", ""),
                shape("lines starting with a pipe", "|a\n", "", ""),
                shape("lines of two pipes", "||\n", "", ""),
                shape("lines of a colon", ":\n", "", ""),
                shape("lines of an open bracket", "[\n", "", ""),
                shape("lines of an image opener", "![\n", "", ""),
                shape("lines of a parenthesis", "(\n", "", ""),
                shape("lines of a digit", "1\n", "", ""),
                shape("lines of a backtick", "`\n", "", ""),
                shape("lines of an ampersand", "&\n", "", ""),
                shape("lines of a backslash", "\\\n", "", ""),
                shape("lines of a tag opener", "<a\n", "", ""),
                shape("lines of a tilde", "~\n", "", ""),
                shape("lines of a quote mark", "\"\n", "", ""),
                shape("indented lines in a paragraph", "a\n    b\n", "", ""),
                shape("lines of a quoted colon", "> :\n", "", ""));
    }

    /** The most expensive posts the limits let through, and ordinary large posts: rendered, never refused. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("paragraphs just under the emphasis limit", paragraphs(mixedEmphasis(250), 25)),
                Arguments.of("a paragraph just under the line limit", ":\n".repeat(4_999)),
                Arguments.of("both limits in one post", ":\n".repeat(4_999) + "\n" + mixedEmphasis(1_249)),
                Arguments.of("footnote references just under the limit", "[^1]".repeat(9_999) + "\n\n[^1]: a note\n"),
                // ordinary large posts
                Arguments.of("a long table", "| a | b |\n|---|---|\n" + "| *c* | _d_ |\n".repeat(30_000)),
                Arguments.of("many reference definitions then a paragraph", "[x]: /u\n".repeat(60_000) + "[x]\n"),
                Arguments.of("a long list", "- *item* with `code`\n".repeat(20_000)),
                Arguments.of("a long HTML table", "<table>\n" + "<tr><td>a</td><td>*b*</td></tr>\n".repeat(15_000)
                        + "</table>\n"),
                Arguments.of("a long run of raw HTML paragraphs", "<p>text <b>bold</b></p>\n".repeat(20_000)),
                Arguments.of("inline raw HTML just under the tag limit", "<i>x</i> ".repeat(55_000)),
                Arguments.of("a long code block", "```\n" + "*a _b_ |c| :d\n".repeat(30_000) + "```\n"),
                // highlighted code: the longest blocks the highlighter tokenises, and larger ones it leaves plain
                Arguments.of("a code block of one unterminated string, 400 KB", "```java\n\"" + "x".repeat(400_000)
                        + "\n```\n"),
                Arguments.of("a code block of one string just under the highlighting limit", "```java\n\""
                        + "x \\\" ".repeat((CodeHighlighter.MAX_CHARS - 16) / 5) + "\n```\n"),
                Arguments.of("a code block of 100,000 lines", "```java\n" + "a\n".repeat(100_000) + "```\n"),
                Arguments.of("a comment across lines just under the highlighting limit", "```java\n/*\n"
                        + "x = 1;\n".repeat(CodeHighlighter.MAX_LINES - 2) + "```\n"),
                Arguments.of("many short highlighted blocks", "```js\nlet x = `${y}`;\n```\n".repeat(10_000)));
    }

    /** {@code "*a " * n + "_a*_ " * n}: 4n delimiters whose closers search back through every opener. */
    private static String mixedEmphasis(int n) {
        return "*a ".repeat(n) + "_a*_ ".repeat(n);
    }

    private static String paragraphs(String paragraph, int count) {
        return (paragraph + "\n\n").repeat(count);
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
    @MethodSource({"shapes", "accepted"})
    @Timeout(30)
    void eachShapeIsRenderedOrRefusedWithinTwoSecondsOfCpu(String name, String body) {
        byte[] content = ("---\ntitle: " + name + "\n---\n" + body).getBytes(StandardCharsets.UTF_8);
        assertThat(content.length).isLessThanOrEqualTo(CAP);
        long started = CPU.getCurrentThreadCpuTime();
        String outcome = "rendered";
        try {
            String html = RENDERER.render(PARSER.parse(SourceKey.of("posts/pathological.md"), content)).html();
            assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        } catch (InvalidPostException e) {
            assertThat(e.problem()).startsWith("the post is too complex to render in bounded time");
            outcome = "refused";
        }
        long cpu = CPU.getCurrentThreadCpuTime() - started;
        report(name, outcome, cpu);
        assertThat(cpu).as("thread CPU of " + name + " in ns").isLessThan(2_000_000_000L);
    }

    /** Each shape's outcome and CPU time, in {@code target/pathological-cpu.tsv}, for the README. */
    private static synchronized void report(String name, String outcome, long cpuNanos) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/pathological-cpu.tsv"),
                    name + "\t" + outcome + "\t" + cpuNanos / 1_000_000 + " ms\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void ordinaryAndJustUnderTheLimitPostsAreNeverRefused(String name, String body) {
        assertThat(MarkdownComplexity.problem(body)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theRefusalSaysWhatToChangeAndWhere() {
        String body = "Intro.\n\n" + mixedEmphasis(2_250);
        assertThat(MarkdownComplexity.problem(body)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("emphasis markers")
                .contains("the paragraph at line 3 of the body has 9000")
                .contains("break long paragraphs up with blank lines"));
    }
}
