package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.SiteWalk;
import dev.postrenderer.testing.MemoryStore;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;

/**
 * Many invocations at once against buckets with S3's conditional semantics (in memory;
 * {@code LoadTest} runs such races against S3Mock): the state's conditional writes must never lose
 * an update, and everything derived from it must agree with it: the posts a reader reaches from the
 * front page and a tag page, the sitemap, the feed, every page.
 */
class ConcurrentPublishingTest {

    private static final int POSTS = 40;
    private static final int THREADS = 8;

    /** Buckets in memory, with S3's contract: conditional writes checked and applied in one step. */
    private final MemoryStore sourceBucket = new MemoryStore();
    private final MemoryStore siteBucket = new MemoryStore();
    private final String site = "site";
    private final SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Load"));

    @Test
    @Timeout(300)
    void fortyPostsFromEightThreadsThenTenDeletesLeaveEveryListingInAgreement() throws Exception {
        List<SourceChange> uploads = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            String key = String.format("posts/post-%02d.md", i);
            String text = String.format("---%ntitle: Post %02d%ndate: 2024-01-%02dT10:00:00Z%ntags: [t%d, common]%n---%n"
                    + "Body of post %d.%n", i, i % 28 + 1, i % 5, i);
            uploads.add(new SourceChange(key, false, OptionalLong.of(text.length()), Optional.of(upload(key, text)),
                    Optional.of(String.format("00A%03d", i))));
        }

        runConcurrently(uploads);

        assertEverywhere(POSTS);

        List<SourceChange> deletes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = String.format("posts/post-%02d.md", i * 4);
            sourceBucket.delete(key);
            deletes.add(new SourceChange(key, true, OptionalLong.empty(), Optional.empty(),
                    Optional.of(String.format("00B%03d", i))));
        }

        runConcurrently(deletes);

        assertEverywhere(POSTS - 10);
        for (SourceChange deleted : deletes) {
            String page = deleted.key().replace(".md", "/index.html");
            assertThat(siteBucket.list(page)).as(page).isEmpty();
        }
    }

    /** Each thread is its own function instance: its own publisher, as Lambda would run them. */
    private void runConcurrently(List<SourceChange> changes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<BatchResult>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                Publisher publisher = new Publisher(sourceBucket, siteBucket, config);
                for (int i = thread; i < changes.size(); i += THREADS) {
                    SourceChange change = changes.get(i);
                    Callable<BatchResult> task = () -> publisher.apply(List.of(change));
                    results.add(pool.submit(task));
                }
            }
            for (Future<BatchResult> result : results) {
                assertThat(result.get().failed()).as("failed").isEmpty();
                assertThat(result.get().rejected()).as("rejected").isEmpty();
                assertThat(result.get().done()).singleElement().extracting(PublishResult::action)
                        .isIn(PublishResult.Action.RENDERED, PublishResult.Action.DELETED);
            }
        } finally {
            pool.shutdown();
        }
    }

    private void assertEverywhere(int expected) throws Exception {
        List<PostEntry> posts = PublishedState.posts(siteBucket);
        assertThat(posts).hasSize(expected);
        SiteWalk walk = new SiteWalk(key -> get(key), "https://blog.example.com");
        assertThat(walk.posts("index.html")).as("posts reachable from the front page")
                .containsExactlyElementsOf(posts.stream().map(PostEntry::path).toList());
        assertThat(walk.posts("tags/common/index.html")).as("posts reachable from the tag page").hasSize(expected);
        assertThat(walk.sitemap().stream().filter(loc -> loc.contains("/posts/")).count()).as("sitemap URLs")
                .isEqualTo(expected);
        assertThat(walk.feedEntries()).as("feed entries").isEqualTo(Math.min(expected, SiteConfig.DEFAULT_FEED_ENTRIES));
        for (PostEntry post : posts) {
            String page = new String(bytes(post.path() + "index.html"), UTF_8);
            OutputOracle.check(page);
            assertThat(page).contains("<title>" + post.title() + "</title>");
            assertThat(post.pageEtag()).isEqualTo(md5(page.getBytes(UTF_8)));
        }
    }

    private Optional<byte[]> get(String key) {
        return siteBucket.get(key).map(StoredObject::content);
    }

    private String upload(String key, String text) throws Exception {
        sourceBucket.upload(key, text.getBytes(UTF_8));
        return md5(text.getBytes(UTF_8));
    }

    private byte[] bytes(String key) {
        return siteBucket.get(key).orElseThrow(() -> new AssertionError("no " + key + " in the site")).content();
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    static Document xml(byte[] bytes) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    static List<String> nodes(Document document, String localName) {
        var list = document.getElementsByTagNameNS("*", localName);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            values.add(list.item(i).getTextContent());
        }
        return values;
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
