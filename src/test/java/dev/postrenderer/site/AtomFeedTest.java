package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.postrenderer.site.XmlDocuments.children;
import static dev.postrenderer.site.XmlDocuments.text;
import static dev.postrenderer.site.XmlDocuments.xml;

import dev.postrenderer.post.Author;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderOptions;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.w3c.dom.Element;

/** The Atom feed: written from its entries, and read back by the next batch. */
@Isolated
class AtomFeedTest {

    private static final RenderOptions OPTIONS = new RenderOptions(Optional.of("https://blog.example.com"),
            Optional.of("Blog & Co"), "en", RawHtmlPolicy.SANITIZE);
    private static final AtomFeed FEED = new AtomFeed(OPTIONS);

    private static FeedItem item(PostEntry post) {
        return FeedItem.of(post, "<p>Body of " + post.title() + " & more</p>", Optional.empty());
    }

    private static PostEntry post(String name, String date, String... tags) {
        return TestEntries.post(name, date, tags);
    }

    @Test
    void theFeedIsAtomWithItsRequiredElementsAndFullContent() throws Exception {
        byte[] feed = FEED.page(List.of(item(post("b", "2024-04-02T09:30:00Z")), item(post("a", "2024-03-18", "x"))))
                .orElseThrow().content();
        Element root = xml(feed).getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        assertThat(root.getLocalName()).isEqualTo("feed");
        assertThat(text(root, "id")).isEqualTo("https://blog.example.com/");
        assertThat(text(root, "title")).isEqualTo("Blog & Co");
        assertThat(OffsetDateTime.parse(text(root, "updated"))).isEqualTo(OffsetDateTime.parse("2024-04-02T09:30:00Z"));
        assertThat(children(root, "link")).extracting(link -> link.getAttribute("rel")).contains("self", "alternate");
        assertThat(children(root, "author")).hasSize(1);
        List<Element> entries = children(root, "entry");
        assertThat(entries).hasSize(2);
        Element newest = entries.get(0);
        assertThat(text(newest, "id")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(children(newest, "link").get(0).getAttribute("href")).isEqualTo("https://blog.example.com/posts/b/");
        assertThat(OffsetDateTime.parse(text(newest, "published"))).isEqualTo(OffsetDateTime.parse("2024-04-02T09:30:00Z"));
        Element content = children(newest, "content").get(0);
        assertThat(content.getAttribute("type")).isEqualTo("html");
        assertThat(content.getTextContent()).isEqualTo("<p>Body of Title b & more</p>");
        assertThat(children(entries.get(1), "category").get(0).getAttribute("term")).isEqualTo("x");
        assertThat(text(newest, "page")).as("the page ETag the entry was made from").isEqualTo("page-b");
    }

    @Test
    void theFeedReadsBackWhatItWrote() {
        List<FeedItem> items = List.of(item(post("b", "2024-04-02T09:30:00Z", "x", "y")), item(post("undated", null)));
        SitePage feed = FEED.page(items).orElseThrow();
        assertThat(FEED.page(FEED.read(feed.content()).items()).orElseThrow()).isEqualTo(feed);
        assertThat(FEED.read(feed.content()).items()).extracting(FeedItem::path, FeedItem::pageEtag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("posts/b/", "page-b"),
                        org.assertj.core.groups.Tuple.tuple("posts/undated/", "page-undated"));
    }

    @Test
    void anUndatedPostHasNoPublishedDateInTheFeed() throws Exception {
        Element entry = children(xml(FEED.page(List.of(item(post("undated", null)))).orElseThrow().content())
                .getDocumentElement(), "entry").get(0);
        assertThat(children(entry, "published")).isEmpty();
        assertThat(children(entry, "updated")).hasSize(1);
    }

    @Test
    void anEntryNamesItsPostsAuthorAndReadsItBack() throws Exception {
        FeedItem authored = FeedItem.of(post("a", "2024-03-18"), "<p>Body</p>",
                Optional.of(new Author("Ada Park", Optional.of("https://ada.example.com/"))));
        byte[] feed = FEED.page(List.of(authored, item(post("b", "2024-03-17")))).orElseThrow().content();

        List<Element> entries = children(xml(feed).getDocumentElement(), "entry");
        Element author = children(entries.get(0), "author").get(0);
        assertThat(text(author, "name")).isEqualTo("Ada Park");
        assertThat(text(author, "uri")).isEqualTo("https://ada.example.com/");
        assertThat(children(entries.get(1), "author")).as("the feed's author stands for it").isEmpty();
        assertThat(FEED.read(feed).items().get(0).author()).isEqualTo(authored.author());
    }

    /**
     * Java 24 and later stop an XML document at 100,000 characters of text by default, and on Java 25
     * every batch read the feed as empty and rendered its posts again from their sources. The same
     * limit, set here as a system property, holds for Java 17 too.
     */
    @Test
    void aFeedOfMegabytesReadsBackUnderTheXmlLimitsOfJava24AndLater() {
        List<FeedItem> items = new ArrayList<>();
        String body = "<p>Lorem &amp; ipsum <a href=\"https://x/y\">link</a> &lt;b&gt;</p>\n".repeat(400);
        for (int i = 0; i < 50; i++) {
            items.add(FeedItem.of(post("p" + i, "2024-01-01"), body, Optional.empty()));
        }
        byte[] feed = FEED.page(items).orElseThrow().content();
        String previous = System.getProperty("jdk.xml.maxGeneralEntitySizeLimit");
        System.setProperty("jdk.xml.maxGeneralEntitySizeLimit", "100000");
        try {
            AtomFeed.Read read = new AtomFeed(OPTIONS).read(feed);
            assertThat(feed.length).isGreaterThan(2_000_000);
            assertThat(read.problem()).isEmpty();
            assertThat(read.items()).hasSize(50);
            assertThat(AtomFeed.Parser.create()).isNotNull();
        } finally {
            if (previous == null) {
                System.clearProperty("jdk.xml.maxGeneralEntitySizeLimit");
            } else {
                System.setProperty("jdk.xml.maxGeneralEntitySizeLimit", previous);
            }
        }
    }

    @Test
    void aFeedThatCannotBeReadBackSaysWhy() {
        byte[] other = new AtomFeed(new RenderOptions(Optional.of("https://elsewhere.example.com"), Optional.empty(),
                "en", RawHtmlPolicy.SANITIZE)).page(List.of(item(post("a", "2024-01-01")))).orElseThrow().content();

        assertThat(FEED.read(other).problem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("not one of this site's"));
        assertThat(FEED.read("<feed".getBytes(StandardCharsets.UTF_8)).problem())
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("not well-formed XML"));
    }

    @Test
    void withoutASiteUrlThereIsNoFeed() {
        assertThat(new AtomFeed(RenderOptions.DEFAULTS).page(List.of(item(post("a", "2024-01-01"))))).isEmpty();
    }
}
