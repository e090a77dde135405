package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.NuChecker;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.MemoryBuckets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adversarial corpus of {@code src/test/resources/adversarial/}: each case, as the table
 * {@code cases.tsv} says, is handled without an uncaught exception, reaches its expected outcome
 * (rejected ones with a clear reason and no page), leaves every other post as it was, and takes
 * under 2 s of CPU at the size cap. Every page rendered passes the output oracle and the Nu
 * HTML checker with no error, and the feed and the sitemap always parse as XML. The handler reads
 * and writes buckets in memory, which keep S3's contract (see {@code ObjectStoreContract}): the
 * point here is what the function does with hostile input, not the network.
 */
class AdversarialCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/adversarial");
    private static final int CAP = SiteConfig.DEFAULT_MAX_POST_BYTES;
    private static final long CPU_LIMIT_NANOS = 2_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemoryBuckets BUCKETS = new MemoryBuckets();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static String source;
    private static String site;
    private static PublishHandler handler;
    private static byte[] goodPage;
    private static long sequencer = 0x10;

    @BeforeAll
    static void aSiteWithOneGoodPost() {
        source = "source";
        site = "site";
        handler = new PublishHandler(BUCKETS, SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Adversarial")), new PrintStream(LOG, true, UTF_8),
                "adversarial");
        byte[] good = "---\ntitle: The good post\ntags: [fine]\n---\nNothing to see.\n".getBytes(UTF_8);
        handle(S3Events.event().put(source, "posts/good.md", good.length, upload("posts/good.md", good), next()).json());
        goodPage = page("posts/good/index.html");
    }

    static Stream<Arguments> cases() throws IOException {
        return Files.readAllLines(CORPUS.resolve("cases.tsv"), UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("case\t"))
                .map(line -> line.split("\t", -1))
                .map(fields -> Arguments.of(fields[0], fields[1], fields[2], fields[3], fields[4]));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("cases")
    void eachCaseReachesItsOutcomeAndHarmsNoOtherPost(String name, String key, String input, String expect,
                                                      String message) throws IOException {
        String event;
        String logKey;
        byte[] content = null;
        if (key.startsWith("raw:")) {
            String raw = key.substring(4).equals("gen-long-key") ? "posts/" + "a".repeat(1100) + ".md" : key.substring(4);
            event = S3Events.event().rawKey(source, "ObjectCreated:Put", raw).json();
            logKey = null;
        } else {
            content = input(input);
            event = S3Events.event().put(source, key, content.length, upload(key, content), next()).json();
            logKey = key;
        }

        LOG.reset();
        long cpu = CPU.getCurrentThreadCpuTime();
        handle(event);
        long cpuNanos = CPU.getCurrentThreadCpuTime() - cpu;

        JsonNode line = onlyLogLine();
        if (logKey != null) {
            assertThat(line.get("key").asText()).isEqualTo(logKey);
        }
        switch (expect) {
            case "REJECTED" -> {
                assertThat(line.get("outcome").asText()).isEqualTo("permanent_failure");
                assertThat(line.get("reason").asText()).contains(message);
                if (logKey != null) {
                    boolean markdown = SourceKey.ifValid(logKey).filter(SourceKey::isMarkdown).isPresent();
                    String siteKey = SourceKey.ifValid(logKey).flatMap(SourceKey::siteKey).orElse(logKey);
                    if (markdown || !exists(siteKey)) {
                        assertThat(exists(siteKey)).as("a page for " + name).isFalse();
                    } else {
                        assertThat(page(siteKey)).as("what " + name + " tried to replace").isNotEqualTo(content);
                    }
                }
            }
            case "RENDERED" -> {
                assertThat(line.get("action").asText()).isEqualTo("RENDERED");
                String html = new String(page(SourceKey.of(key).siteKey().orElseThrow()), UTF_8);
                OutputOracle.check(html);
                assertThat(NuChecker.errors(html)).as("Nu checker errors on the page of " + name).isEmpty();
                assertThat(NuChecker.errors(new String(page("index.html"), UTF_8)))
                        .as("Nu checker errors on the front page after " + name).isEmpty();
            }
            case "COPIED" -> {
                assertThat(line.get("action").asText()).isEqualTo("COPIED");
                assertThat(page(key)).isEqualTo(content);
            }
            case "IGNORED" -> assertThat(line.get("action").asText()).isEqualTo("IGNORED");
            default -> throw new IllegalArgumentException("unknown outcome " + expect);
        }
        assertThat(wellFormedXml("feed.xml")).as("feed.xml parses after " + name).isTrue();
        assertThat(wellFormedXml("sitemap.xml")).as("sitemap.xml parses after " + name).isTrue();
        assertThat(page("posts/good/index.html")).as("the good post's page").isEqualTo(goodPage);
        assertThat(PublishedState.posts(BUCKETS.bucket(site))).extracting(PostEntry::key)
                .contains("posts/good.md");
        OutputOracle.check(new String(page("index.html"), UTF_8));
        assertThat(cpuNanos).as("CPU time of " + name + " in ns").isLessThan(CPU_LIMIT_NANOS);
    }

    private static byte[] input(String input) throws IOException {
        if (input.startsWith("file:")) {
            return Files.readAllBytes(CORPUS.resolve("files").resolve(input.substring(5)));
        }
        String body = "---\ntitle: Generated\n---\n";
        return switch (input.substring(4)) {
            case "huge-scalar" -> ("---\ntitle: " + "x".repeat(100_000) + "\n---\nBody.\n").getBytes(UTF_8);
            case "utf16le" -> withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, "# Hello\n", Charset.forName("UTF-16LE"));
            case "utf16be" -> withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, "# Hello\n", Charset.forName("UTF-16BE"));
            case "utf32le" -> withBom(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, "# Hello\n", Charset.forName("UTF-32LE"));
            case "utf32be" -> withBom(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, "# Hello\n", Charset.forName("UTF-32BE"));
            case "invalid-utf8" -> concat("# Fine so far\n".getBytes(UTF_8), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
            case "png" -> Files.readAllBytes(Path.of("examples/site/img/pipeline.png"));
            case "nul" -> "# A\u0000B\n".getBytes(UTF_8);
            case "over-cap" -> (body + "a".repeat(CAP)).getBytes(UTF_8);
            case "many-lines" -> (body + "a\n".repeat(100_000)).getBytes(UTF_8);
            case "nested-brackets" -> atCap(body, "[", "a", "]");
            case "nested-quotes" -> atCap(body, "> ", "a", "");
            case "emphasis" -> atCap(body, "*a **a ", "", "");
            case "link-openers" -> atCap(body, "[a", "", "");
            case "emphasis-mixed" -> (body + "*a ".repeat(CAP / 8 - 16) + "_a*_ ".repeat(CAP / 8 - 16)).getBytes(UTF_8);
            case "emphasis-lines" -> (body + "*a\n".repeat(CAP / 8 - 16) + "_a*_\n".repeat(CAP / 16 - 16))
                    .getBytes(UTF_8);
            case "pipe-lines" -> atCap(body, "|\n", "", "");
            case "colon-lines" -> atCap(body, ":\n", "", "");
            case "bracket-lines" -> atCap(body, "[\n", "", "");
            case "digit-lines" -> atCap(body, "1\n", "", "");
            case "footnotes" -> atCap(body, "[^1]", "\n\n[^1]: a note\n", "");
            case "emphasis-under" -> (body + ("*a ".repeat(250) + "_a*_ ".repeat(250) + "\n\n").repeat(25))
                    .getBytes(UTF_8);
            case "lines-under" -> (body + ":\n".repeat(4_999)).getBytes(UTF_8);
            case "long-table" -> (body + "| a | b |\n|---|---|\n" + "| *c* | _d_ |\n".repeat(30_000)).getBytes(UTF_8);
            case "raw-html" -> atCap(body, "<div><span><b>", "x", "");
            case "html" -> "<!DOCTYPE html><title>Mine</title><script>alert(1)</script>".getBytes(UTF_8);
            case "js" -> "alert(document.cookie)".getBytes(UTF_8);
            case "svg-script" -> "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                    .getBytes(UTF_8);
            case "svg-onload" -> "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".getBytes(UTF_8);
            case "svg-benign" -> "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>"
                    .getBytes(UTF_8);
            default -> throw new IllegalArgumentException("unknown generator " + input);
        };
    }

    /** Repeats a shape until the post is just under the size cap. */
    private static byte[] atCap(String prefix, String open, String middle, String close) {
        int room = CAP - prefix.length() - middle.length() - 16;
        int times = room / (open.length() + close.length());
        return (prefix + open.repeat(times) + middle + close.repeat(close.isEmpty() ? 0 : times)).getBytes(UTF_8);
    }

    private static byte[] withBom(byte[] bom, String text, Charset charset) {
        ByteBuffer encoded = charset.encode(text);
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        return concat(bom, bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void handle(String eventJson) {
        assertThat(Invocations.invoke(handler, eventJson)).isEmpty();
    }

    private static String upload(String key, byte[] content) {
        BUCKETS.bucket(source).upload(key, content);
        return ETags.of(content);
    }

    private static String next() {
        return Long.toHexString(++sequencer);
    }

    /** True if the site object parses as XML, with no DTD allowed. */
    private static boolean wellFormedXml(String key) {
        try {
            javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(page(key)));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean exists(String key) {
        return !BUCKETS.bucket(site).list(key).isEmpty();
    }

    private static byte[] page(String key) {
        return BUCKETS.bucket(site).get(key).orElseThrow(() -> new AssertionError("no " + key + " in the site"))
                .content();
    }

    private static JsonNode onlyLogLine() throws IOException {
        List<String> lines = LOG.toString(UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }
}
