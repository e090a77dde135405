package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every page the renderer produces passes the Nu HTML Checker (the W3C validator's engine) with no errors or warnings. */
class HtmlValidationTest {

    @TempDir
    static Path out;

    static List<String> examplePages() {
        ExampleSite.renderInto(out);
        return GoldenPagesTest.pages(new dev.postrenderer.local.FileSystemStore(out)).stream()
                .filter(page -> page.endsWith(".html")).toList();
    }

    static List<String> problems(String html) {
        return dev.postrenderer.testing.NuChecker.problems(html);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplePages")
    void everyExamplePagePassesTheNuHtmlChecker(String page) {
        assertThat(problems(ExampleSite.read(out.resolve(page)))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(RawHtmlPolicy.class)
    void aPostUsingEveryFeaturePassesUnderEachRawHtmlPolicy(RawHtmlPolicy policy) {
        String markdown = """
                ---
                title: Everything
                description: All the features at once
                date: 2024-02-29T18:45:00+01:00
                author: {name: Ada, url: https://ada.example}
                tags: [one, two]
                image: {src: img/a.png, alt: A, width: 10, height: 10}
                ---
                Intro with *emphasis*, **strong**, `code`, ~~strike~~ and a footnote.[^n]

                ## Table

                | Left | Center | Right |
                |:-----|:------:|------:|
                | a    | b      | c     |

                - [x] done
                - [ ] open

                > A quote

                ```java
                class A {}
                ```

                ![Alt](../img/a.png "Title")

                <details><summary>More</summary>
                <p>Raw <kbd>HTML</kbd></p>
                </details>

                <figure><img src="../img/a.png" alt="A figure"><figcaption>Caption</figcaption></figure>

                [^n]: The note.
                """;
        RenderOptions options = new RenderOptions(Optional.of("https://blog.example.com"), Optional.of("Blog"), "en", policy);
        String html = new PageRenderer(options).render(new PostParser(524_288)
                .parse(SourceKey.of("posts/everything.md"), markdown.getBytes(StandardCharsets.UTF_8))).html();
        assertThat(problems(html)).isEmpty();
        if (policy != RawHtmlPolicy.ALLOW) {
            dev.postrenderer.testing.OutputOracle.check(html);
        }
    }

    @Test
    void theCheckerReallyReportsErrors() {
        assertThat(problems("<!DOCTYPE html><html lang=en><head><title>x</title></head><body><p><div></p></body></html>"))
                .isNotEmpty();
    }
}
