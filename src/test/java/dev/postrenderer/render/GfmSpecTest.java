package dev.postrenderer.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.post.UrlPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.commonmark.testutil.TestResources;
import org.commonmark.testutil.example.Example;
import org.commonmark.testutil.example.ExampleReader;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The GitHub Flavored Markdown spec, the commonmark-java way: every example of the
 * {@code gfm-spec.txt} that {@code commonmark-test-util} ships (numbered in its order, 1 to 672),
 * rendered as the body of a post ({@code posts/spec.md}) and compared with the spec's HTML after
 * a normalisation that allows for the renderer's deliberate choices, and nothing else:
 * <ul>
 *   <li>markup that means the same: whitespace between blocks, attribute order, entity forms (both
 *       sides parsed and printed by jsoup);</li>
 *   <li>heading {@code id}s (anchors to link to), dropped;</li>
 *   <li>one {@code h1} per page: a level-one heading that does not open the body is an {@code h2};</li>
 *   <li>{@code loading="lazy" decoding="async"} on images, dropped;</li>
 *   <li>{@code aria-label} on task-list checkboxes (their task, as their accessible name), dropped;</li>
 *   <li>highlighted code blocks: the {@code highlight} class and the line and token spans, dropped
 *       (the code's text stays);</li>
 *   <li>table alignment as {@code class="align-…"} ({@code align} is obsolete in HTML5);</li>
 *   <li>pretty URLs: the post is served at {@code posts/spec/}, so its relative links are rewritten
 *       to reach the same targets from there; each side's {@code href} and {@code src} are compared
 *       as a browser requests them: resolved against where they appear ({@code posts/spec.md} for
 *       the spec, {@code posts/spec/} for the page; an empty URL or a bare fragment is the document
 *       itself), backslashes read as slashes, percent-escapes decoded (the page encodes every URL
 *       once; a browser encodes the rest itself);</li>
 *   <li>tabs, which the spec's HTML shows as {@code →};</li>
 *   <li>the URL scheme allowlist ({@link UrlPolicy}): a link or image whose URL a browser would
 *       read with another scheme than {@code http}, {@code https} or {@code mailto} keeps its text
 *       and loses its URL.</li>
 * </ul>
 * What still differs under {@code RAW_HTML=allow} is in {@link #DIFFERENCES}, each with its reason.
 * Under the default policy, {@code sanitize}, the examples that pass under {@code allow} and differ
 * only through the sanitiser are counted, so that a change to the sanitiser shows as a change in
 * that count.
 */
class GfmSpecTest {

    private static final SourceKey POST = SourceKey.of("posts/spec.md");
    private static final URI SPEC_BASE = URI.create("https://example.com/posts/spec.md");
    private static final URI PAGE_BASE = URI.create("https://example.com/posts/spec/");
    private static final String SELF = "(this page)";

    /** The examples that differ under {@code RAW_HTML=allow}, by number, with the reason; the README shows the same table. */
    static final Map<Integer, String> DIFFERENCES = differences();

    /** Examples that pass under {@code allow} and differ under {@code sanitize}: what the sanitiser changes. */
    static final int SANITISED = 29;

    private static final List<Example> EXAMPLES = ExampleReader.readExamples(TestResources.getGfmSpec());

    @TestFactory
    Stream<DynamicTest> everyExampleRendersAsGitHubRendersItUnderAllowOrIsADocumentedDifference() {
        MarkdownRenderer renderer = new MarkdownRenderer(RawHtmlPolicy.ALLOW);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < EXAMPLES.size(); i++) {
            int number = i + 1;
            Example example = EXAMPLES.get(i);
            tests.add(DynamicTest.dynamicTest("example " + number + " (" + example.getSection() + ")", () -> {
                String expected = expected(example);
                String actual = actual(renderer, example);
                if (DIFFERENCES.containsKey(number)) {
                    assertThat(actual).as("example %d is listed as a difference (%s) but now passes: take it out of"
                            + " the table", number, DIFFERENCES.get(number)).isNotEqualTo(expected);
                } else {
                    assertThat(actual).as("example %d:%n%s", number, example.getSource()).isEqualTo(expected);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void theDefaultPolicyDiffersOnlyWhereItSanitisesRawHtml() {
        MarkdownRenderer allow = new MarkdownRenderer(RawHtmlPolicy.ALLOW);
        MarkdownRenderer sanitize = new MarkdownRenderer(RawHtmlPolicy.SANITIZE);
        List<Integer> sanitised = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        int passing = 0;
        for (int i = 0; i < EXAMPLES.size(); i++) {
            Example example = EXAMPLES.get(i);
            String expected = expected(example);
            String underSanitize = actual(sanitize, example);
            if (underSanitize.equals(expected)) {
                passing++;
            } else if (actual(allow, example).equals(expected)) {
                if (example.getSource().contains("<")) {
                    sanitised.add(i + 1);
                } else {
                    unexplained.add("example " + (i + 1) + ": " + underSanitize);
                }
            }
        }
        System.out.printf("GFM spec under sanitize: %d of %d pass; %d differ only through the sanitiser %s%n",
                passing, EXAMPLES.size(), sanitised.size(), sanitised);
        assertThat(unexplained).as("examples without raw HTML that only the default policy changes").isEmpty();
        assertThat(sanitised).as("examples the sanitiser changes").hasSize(SANITISED);
    }

    private static Map<Integer, String> differences() {
        Map<Integer, String> differences = new TreeMap<>();
        String tagFilter = "GFM's tag filter, which GitHub applies (example 652), escapes the raw <script> or <style>"
                + " that this core example passes as CommonMark alone does";
        String strong = "commonmark-java follows CommonMark 0.31, where a run of four or more * or _ nests strong"
                + " emphasis; GitHub's cmark-gfm (CommonMark 0.29) merges it; the text is bold either way";
        String autolinks = "extended autolinks are on, as on GitHub; this core example is written for CommonMark"
                + " without them";
        for (int number : new int[] {140, 141, 142, 145, 147}) {
            differences.put(number, tagFilter);
        }
        differences.put(317, "an empty path segment (//) in a raw HTML URL is collapsed when the URL is rewritten"
                + " for the pretty URL");
        for (int number : new int[] {398, 426, 434, 435, 436, 473, 474, 475, 477}) {
            differences.put(number, strong);
        }
        for (int number : new int[] {614, 616, 619, 620}) {
            differences.put(number, autolinks);
        }
        return differences;
    }

    private static String actual(MarkdownRenderer renderer, Example example) {
        RenderedBody body;
        try {
            body = renderer.render(example.getSource(), POST);
        } catch (InvalidPostException e) {
            return "(rejected: " + e.getMessage() + ")";
        }
        Document document = Jsoup.parseBodyFragment(body.titleHtml().orElse("") + body.html());
        for (Element element : document.body().select("h1, h2, h3, h4, h5, h6")) {
            element.removeAttr("id");
        }
        for (Element image : document.body().select("img")) {
            image.removeAttr("loading");
            image.removeAttr("decoding");
        }
        document.body().select("input[type=checkbox]").removeAttr("aria-label");
        for (Element block : document.body().select("pre.highlight")) {
            block.removeAttr("class");
            block.select("span").unwrap();
        }
        resolve(document, PAGE_BASE);
        return canonical(document);
    }

    private static String expected(Example example) {
        // the spec shows tabs as arrows, in its markdown (which the reader turns back) and in its HTML
        Document document = Jsoup.parseBodyFragment(example.getHtml().replace('\u2192', '\t'));
        Element body = document.body();
        for (Element heading : body.select("h1")) {
            if (heading != body.child(0)) {
                heading.tagName("h2");
            }
        }
        for (Element cell : body.select("th[align], td[align]")) {
            cell.attr("class", "align-" + cell.attr("align"));
            cell.removeAttr("align");
        }
        for (Element link : body.select("a[href]")) {
            if (!UrlPolicy.isAllowed(link.attr("href"))) {
                link.unwrap();
            }
        }
        for (Element image : body.select("img[src]")) {
            if (!UrlPolicy.isAllowed(image.attr("src"))) {
                image.replaceWith(new TextNode(image.attr("alt")));
            }
        }
        resolve(document, SPEC_BASE);
        return canonical(document);
    }

    /**
     * Makes every {@code href} and {@code src} absolute, resolved from where it appears, with
     * backslashes read as slashes and {@code %XX} escapes decoded, as a browser reads and sends them.
     */
    private static void resolve(Document document, URI base) {
        for (Element element : document.body().select("[href], [src]")) {
            for (String attribute : List.of("href", "src")) {
                if (element.hasAttr(attribute)) {
                    element.attr(attribute, absolute(base, element.attr(attribute)));
                }
            }
        }
    }

    private static String absolute(URI base, String url) {
        String read = url.replace('\\', '/');
        if (UrlPolicy.hasSchemeOrHost(read)) {
            return decoded(SiteUrls.encode(read));
        }
        if (read.isEmpty() || read.startsWith("#")) {
            return SELF + read; // the document itself, wherever it is served
        }
        // a first segment with a colon ("foo):") is a path: RFC 3986 writes it "./foo):"
        String reference = read.startsWith("/") || read.startsWith(".") ? read : "./" + read;
        try {
            return decoded(base.resolve(new URI(SiteUrls.encode(reference))).toString());
        } catch (URISyntaxException e) {
            return url; // not a URI even once encoded: compared as written
        }
    }

    private static String decoded(String url) {
        return SiteUrls.decodePath(url).orElse(url);
    }

    /** The document's body printed one way: attributes sorted, whitespace between blocks dropped. */
    private static String canonical(Document document) {
        document.outputSettings().prettyPrint(false);
        Element body = document.body();
        for (Element element : body.getAllElements()) {
            List<Attribute> attributes = new ArrayList<>(element.attributes().asList());
            attributes.sort((a, b) -> a.getKey().compareTo(b.getKey()));
            attributes.forEach(attribute -> element.removeAttr(attribute.getKey()));
            attributes.forEach(attribute -> element.attr(attribute.getKey(), attribute.getValue()));
        }
        List<TextNode> between = new ArrayList<>();
        for (Element element : body.getAllElements()) {
            if (element.closest("pre") != null) {
                continue;
            }
            for (Node child : element.childNodes()) {
                if (child instanceof TextNode text && text.isBlank() && besideBlock(text)) {
                    between.add(text);
                }
            }
        }
        between.forEach(Node::remove);
        return body.html();
    }

    private static boolean besideBlock(TextNode text) {
        Node previous = text.previousSibling();
        Node next = text.nextSibling();
        Element parent = (Element) text.parentNode();
        return previous == null && next == null
                || previous instanceof Element element && element.isBlock()
                || next instanceof Element element && element.isBlock()
                || (previous == null || next == null) && parent.isBlock();
    }
}
