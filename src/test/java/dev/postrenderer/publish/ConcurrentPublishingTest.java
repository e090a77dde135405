package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.site.ManifestJson;
import dev.postrenderer.site.SiteManifest;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3MockServer;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Many invocations at once against a real S3-compatible server: the manifest's conditional writes
 * must never lose an update, and everything derived from it must agree with it.
 */
class ConcurrentPublishingTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final int POSTS = 40;
    private static final int THREADS = 8;

    private final S3Client s3 = S3.client();
    private final String source = S3.newBucket("source");
    private final String site = S3.newBucket("site");
    private final SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Load"));

    @Test
    @Timeout(300)
    void fortyPostsFromEightThreadsThenTenDeletesLeaveEveryListingInAgreement() throws Exception {
        List<SourceEvent> uploads = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            String key = String.format("posts/post-%02d.md", i);
            String text = String.format("---%ntitle: Post %02d%ndate: 2024-01-%02dT10:00:00Z%ntags: [t%d, common]%n---%n"
                    + "Body of post %d.%n", i, i % 28 + 1, i % 5, i);
            uploads.add(new SourceEvent(key, OptionalLong.of(text.length()), Optional.of(upload(key, text)),
                    Optional.of(String.format("00A%03d", i))));
        }

        runConcurrently(uploads, false);

        assertEverywhere(POSTS);

        List<SourceEvent> deletes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = String.format("posts/post-%02d.md", i * 4);
            s3.deleteObject(b -> b.bucket(source).key(key));
            deletes.add(new SourceEvent(key, OptionalLong.empty(), Optional.empty(), Optional.of(String.format("00B%03d", i))));
        }

        runConcurrently(deletes, true);

        assertEverywhere(POSTS - 10);
        for (SourceEvent deleted : deletes) {
            String page = deleted.key().replace(".md", "/index.html");
            assertThat(s3.listObjectsV2(b -> b.bucket(site).prefix(page)).contents()).as(page).isEmpty();
        }
    }

    /** Each thread is its own function instance: its own client and publisher, as Lambda would run them. */
    private void runConcurrently(List<SourceEvent> events, boolean removals) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<PublishResult>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                S3Client client = S3.newClient();
                Publisher publisher = new Publisher(new S3ObjectStore(client, source), new S3ObjectStore(client, site),
                        config);
                for (int i = thread; i < events.size(); i += THREADS) {
                    SourceEvent event = events.get(i);
                    Callable<PublishResult> task = () -> removals ? publisher.removed(event) : publisher.created(event);
                    results.add(pool.submit(task));
                }
            }
            for (Future<PublishResult> result : results) {
                assertThat(result.get().action()).isIn(PublishResult.Action.RENDERED, PublishResult.Action.DELETED);
            }
        } finally {
            pool.shutdown();
        }
    }

    private void assertEverywhere(int expected) throws Exception {
        SiteManifest manifest = ManifestJson.read(bytes("_site/manifest.json"));
        assertThat(manifest.posts()).hasSize(expected);
        String index = new String(bytes("index.html"), UTF_8);
        assertThat(count(index, "<li class=\"post-card\">")).as("front page links").isEqualTo(expected);
        Document sitemap = xml(bytes("sitemap.xml"));
        long postUrls = nodes(sitemap, "loc").stream().filter(loc -> loc.contains("/posts/")).count();
        assertThat(postUrls).as("sitemap URLs").isEqualTo(expected);
        Document feed = xml(bytes("feed.xml"));
        assertThat(nodes(feed, "entry")).as("feed entries").hasSize(Math.min(expected, SiteManifest.FEED_SIZE));
        String common = new String(bytes("tags/common/index.html"), UTF_8);
        assertThat(count(common, "<li class=\"post-card\">")).as("tag page links").isEqualTo(expected);
        for (var post : manifest.posts()) {
            String page = new String(bytes(post.path() + "index.html"), UTF_8);
            OutputOracle.check(page);
            assertThat(page).contains("<title>" + post.title() + "</title>");
            assertThat(post.pageEtag()).contains(md5(page.getBytes(UTF_8)));
        }
    }

    private String upload(String key, String text) throws Exception {
        s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(text));
        return md5(text.getBytes(UTF_8));
    }

    private byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(site).key(key)).asByteArray();
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
