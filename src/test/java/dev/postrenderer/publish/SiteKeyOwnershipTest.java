package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.MemoryBuckets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One site key, one owner (DESIGN.md, "Source bucket → site bucket"): generated keys are
 * reserved, two source keys for one page resolve to one winner whatever order their events
 * arrive in (with an error naming both), deleting either leaves the other's page right, and
 * uploads that would run script in the site's origin are refused under {@code sanitize}. Each rule
 * holds in the bucket, event by event, and in a folder rendered at once.
 */
class SiteKeyOwnershipTest {

    private static final SiteConfig FOLDER = SiteConfig.fromEnvironment(Map.of("SITE_URL", "https://blog.example.com"));

    private static byte[] post(String title) {
        return ("---\ntitle: " + title + "\ndate: 2024-03-18\ntags: [one]\n---\nThe " + title + " body.\n")
                .getBytes(UTF_8);
    }

    // --- two keys for one page

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "about/index.md, about.md",
        "about.md, about.markdown",
        "posts/x/index.markdown, posts/x.md",
    })
    void twoPostsForOnePagePublishTheSameBytesInEitherOrderAndNameEachOther(String winner, String loser) {
        Bucket first = new Bucket(Map.of());
        first.put(winner, post("Winner"));
        first.put(loser, post("Loser"));
        Bucket second = new Bucket(Map.of());
        second.put(loser, post("Loser"));
        second.put(winner, post("Winner"));

        String page = first.siteKeyOf(winner);
        assertThat(first.page(page)).contains("The Winner body.");
        assertThat(second.page(page)).isEqualTo(first.page(page));
        assertThat(second.page("index.html")).isEqualTo(first.page("index.html"));
        assertThat(second.page("feed.xml")).isEqualTo(first.page("feed.xml"));
        assertThat(first.page("index.html")).contains("Winner").doesNotContain("Loser");
        for (Bucket bucket : List.of(first, second)) {
            assertThat(bucket.errors()).anySatisfy(error -> assertThat(error)
                    .contains(page + " is published from " + winner + ", which takes precedence over " + loser));
        }
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "about/index.md, about.md",
        "about.md, about.markdown",
    })
    void deletingEitherKeyLeavesTheOthersPage(String winner, String loser) {
        Bucket bucket = new Bucket(Map.of());
        bucket.put(loser, post("Loser"));
        bucket.put(winner, post("Winner"));
        String page = bucket.siteKeyOf(winner);

        bucket.delete(winner);
        assertThat(bucket.page(page)).contains("The Loser body.");
        assertThat(bucket.page("index.html")).contains("Loser").doesNotContain("Winner");

        bucket.put(winner, post("Winner"));
        assertThat(bucket.page(page)).contains("The Winner body.");
        bucket.delete(loser);
        assertThat(bucket.page(page)).contains("The Winner body.");
        assertThat(bucket.page("index.html")).contains("Winner").doesNotContain("Loser");

        bucket.delete(winner);
        assertThat(bucket.exists(page)).isFalse();
        assertThat(bucket.page("index.html")).doesNotContain("Winner").doesNotContain("Loser");
    }

    @ParameterizedTest(name = "the post arrives {0}")
    @ValueSource(strings = {"first", "last"})
    void aPostWinsOverAnUploadedPageForItsKey(String order) {
        Bucket bucket = new Bucket(Map.of("RAW_HTML", "allow"));
        byte[] html = "<!DOCTYPE html><title>Mine</title><p>hand-written".getBytes(UTF_8);
        if (order.equals("first")) {
            bucket.put("posts/x.md", post("Post"));
            bucket.put("posts/x/index.html", html);
        } else {
            bucket.put("posts/x/index.html", html);
            bucket.put("posts/x.md", post("Post"));
        }
        assertThat(bucket.page("posts/x/index.html")).contains("The Post body.");
        assertThat(bucket.errors()).anySatisfy(error -> assertThat(error).contains(
                "posts/x/index.html is published from posts/x.md, which takes precedence over posts/x/index.html"));

        bucket.delete("posts/x.md");
        assertThat(bucket.bytes("posts/x/index.html")).isEqualTo(html);
        assertThat(bucket.page("index.html")).doesNotContain("Post");
    }

    @Test
    void aFolderWithTwoKeysForOnePageRendersTheWinnerAndNamesBoth(@TempDir Path folder) throws IOException {
        Path source = folder.resolve("source");
        write(source, "about.md", post("Loser"));
        write(source, "about/index.md", post("Winner"));
        Path site = folder.resolve("site");
        BatchResult result = new Publisher(new FileSystemStore(source), new FileSystemStore(site),
                FOLDER).rebuild();

        assertThat(Files.readString(site.resolve("about/index.html"))).contains("The Winner body.");
        assertThat(Files.readString(site.resolve("index.html"))).contains("Winner").doesNotContain("Loser");
        assertThat(result.rejected()).containsExactly(new BatchResult.Rejection("about.md",
                "about/index.html is published from about/index.md, which takes precedence over about.md; "
                        + "rename or remove one of them"));

        Bucket bucket = new Bucket(Map.of());
        bucket.put("about.md", post("Loser"));
        bucket.put("about/index.md", post("Winner"));
        assertThat(bucket.page("about/index.html")).isEqualTo(Files.readString(site.resolve("about/index.html")));
    }

    @Test
    void theFrontPageIntroductionComesFromIndexMdWhicheverArrivesFirst() {
        byte[] md = "---\ntitle: From md\n---\nIntro from md.\n".getBytes(UTF_8);
        byte[] markdown = "---\ntitle: From markdown\n---\nIntro from markdown.\n".getBytes(UTF_8);
        Bucket first = new Bucket(Map.of());
        first.put("index.md", md);
        first.put("index.markdown", markdown);
        Bucket second = new Bucket(Map.of());
        second.put("index.markdown", markdown);
        second.put("index.md", md);

        assertThat(first.page("index.html")).contains("Intro from md.").doesNotContain("Intro from markdown.");
        assertThat(second.page("index.html")).isEqualTo(first.page("index.html"));
        assertThat(first.errors()).anySatisfy(error -> assertThat(error).contains("index.markdown"));

        second.delete("index.md");
        assertThat(second.page("index.html")).contains("Intro from markdown.");
    }

    // --- reserved keys

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"index.html", "404.html", "feed.xml", "sitemap.xml", "sitemaps/latest.xml", "robots.txt",
        "favicon.svg", "page/2024-01-01-abcdef12/index.html", "tags/one/index.html"})
    void anUploadAtAGeneratedKeyIsRefusedAndItsDeletionLeavesTheGeneratedFile(String key) {
        Bucket bucket = new Bucket(Map.of("RAW_HTML", "allow"));
        bucket.put("posts/a.md", post("A"));
        String generated = bucket.exists(key) ? bucket.page(key) : null;

        bucket.put(key, "<p>uploaded over it".getBytes(UTF_8));
        assertThat(bucket.errors()).anySatisfy(error -> assertThat(error).contains(key).contains("reserved for"));
        if (generated != null) {
            assertThat(bucket.page(key)).isEqualTo(generated);
        } else {
            assertThat(bucket.exists(key)).isFalse();
        }
        bucket.delete(key);
        if (generated != null) {
            assertThat(bucket.page(key)).isEqualTo(generated);
        }
    }

    @Test
    void aFolderWithAnUploadAtAGeneratedKeyStillGetsTheGeneratedFile(@TempDir Path folder) throws IOException {
        Path source = folder.resolve("source");
        write(source, "posts/a.md", post("A"));
        write(source, "feed.xml", "<rss>mine</rss>".getBytes(UTF_8));
        Path site = folder.resolve("site");
        BatchResult result = new Publisher(new FileSystemStore(source), new FileSystemStore(site),
                FOLDER).rebuild();
        assertThat(Files.readString(site.resolve("feed.xml"))).startsWith("<?xml").doesNotContain("mine");
        assertThat(result.rejected()).extracting(BatchResult.Rejection::key).containsExactly("feed.xml");
    }

    // --- active content

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "evil.html         | <script>alert(1)</script>                                   | a .html file",
        "scripts/app.js    | alert(document.cookie)                                      | a .js file",
        "img/evil.svg      | <svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg> | has a <script> element",
        "img/onload.svg    | <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>  | has an event handler (onload",
        "img/link.svg      | <svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'><a x:href='javascript:alert(1)'><text>hi</text></a></svg> | has a script URL",
        "img/foreign.svg   | <svg xmlns='http://www.w3.org/2000/svg'><foreignObject><p>hi</p></foreignObject></svg> | has a <foreignObject> element",
        "img/anim.svg      | <svg xmlns='http://www.w3.org/2000/svg'><a><set attributeName='href' to='javascript:alert(1)'/><text>x</text></a></svg> | animates a link target",
        "img/entity.svg    | <!DOCTYPE svg [<!ENTITY x '&#60;script&#62;'>]><svg xmlns='http://www.w3.org/2000/svg'>&x;</svg> | declares XML entities",
        "data/feed.xml     | <x xmlns:h='http://www.w3.org/1999/xhtml'><h:script>alert(1)</h:script></x> | has a <h:script> element",
    })
    void uploadsThatWouldRunScriptAreRefusedUnderSanitize(String key, String content, String problem) {
        Bucket bucket = new Bucket(Map.of());
        bucket.put(key, content.getBytes(UTF_8));
        assertThat(bucket.exists(key)).isFalse();
        assertThat(bucket.errors()).anySatisfy(error -> assertThat(error).contains(key).contains(problem)
                .contains("RAW_HTML=sanitize"));

        Bucket trusting = new Bucket(Map.of("RAW_HTML", "allow"));
        trusting.put(key, content.getBytes(UTF_8));
        assertThat(trusting.bytes(key)).isEqualTo(content.getBytes(UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"img/pipeline.png", "img/logo.svg"})
    void benignAssetsAreCopiedByteForByte(String key) throws IOException {
        byte[] content = key.endsWith(".png") ? Files.readAllBytes(Path.of("examples/site/img/pipeline.png"))
                : """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
                  <metadata>made by hand</metadata>
                  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
                  <a href="https://example.com/"><rect width="10" height="10" style="fill:url(#g)"/></a>
                  <use xlink:href="#g"/><animate attributeName="opacity" from="0" to="1" dur="1s"/>
                </svg>
                """.getBytes(UTF_8);
        Bucket bucket = new Bucket(Map.of());
        bucket.put(key, content);
        assertThat(bucket.bytes(key)).isEqualTo(content);
        assertThat(bucket.errors()).isEmpty();
    }

    @Test
    void aFolderWithActiveUploadsPublishesNoneOfThem(@TempDir Path folder) throws IOException {
        Path source = folder.resolve("source");
        write(source, "posts/a.md", post("A"));
        write(source, "evil.html", "<script>alert(1)</script>".getBytes(UTF_8));
        write(source, "img/evil.svg", "<svg onload='alert(1)'/>".getBytes(UTF_8));
        write(source, "img/ok.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(UTF_8));
        Path site = folder.resolve("site");
        BatchResult result = new Publisher(new FileSystemStore(source), new FileSystemStore(site),
                FOLDER).rebuild();
        assertThat(site.resolve("evil.html")).doesNotExist();
        assertThat(site.resolve("img/evil.svg")).doesNotExist();
        assertThat(site.resolve("img/ok.svg")).hasContent("<svg xmlns='http://www.w3.org/2000/svg'/>");
        assertThat(result.rejected()).extracting(BatchResult.Rejection::key)
                .containsExactlyInAnyOrder("evil.html", "img/evil.svg");
    }

    private static void write(Path root, String key, byte[] content) throws IOException {
        Path file = root.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /**
     * A source and a site bucket (in memory, with S3's contract), and the function; each change
     * delivered as its own SQS message.
     */
    private static final class Bucket {
        private final MemoryBuckets buckets = new MemoryBuckets();
        private final String source = "source";
        private final String site = "site";
        private final ByteArrayOutputStream log = new ByteArrayOutputStream();
        private final PublishHandler handler;
        private long sequencer = 0x100;

        Bucket(Map<String, String> env) {
            Map<String, String> all = new HashMap<>(env);
            all.put("SITE_BUCKET", site);
            all.put("SITE_URL", "https://blog.example.com");
            handler = new PublishHandler(buckets, SiteConfig.fromEnvironment(all), new PrintStream(log, true, UTF_8),
                    "ownership");
        }

        void put(String key, byte[] content) {
            buckets.bucket(source).upload(key, content);
            deliver(S3Events.event().put(source, key, content.length, ETags.of(content), next()));
        }

        void delete(String key) {
            buckets.bucket(source).delete(key);
            deliver(S3Events.event().delete(source, key, next()));
        }

        private void deliver(S3Events event) {
            assertThat(Invocations.invoke(handler, event.sqs())).isEmpty();
        }

        private String next() {
            return Long.toHexString(++sequencer);
        }

        String siteKeyOf(String key) {
            return dev.postrenderer.post.SourceKey.of(key).siteKey().orElseThrow();
        }

        byte[] bytes(String key) {
            return buckets.bucket(site).get(key).orElseThrow(() -> new AssertionError("no " + key + " in the site"))
                    .content();
        }

        String page(String key) {
            return new String(bytes(key), UTF_8);
        }

        boolean exists(String key) {
            return buckets.bucket(site).head(key).isPresent();
        }

        /** The function's ERROR lines. */
        List<String> errors() {
            List<String> errors = new ArrayList<>();
            log.toString(UTF_8).lines().filter(line -> line.contains("\"ERROR\"")).forEach(errors::add);
            return errors;
        }
    }
}
