package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.testing.FaultyS3Proxy;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.RecordedRequests;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.TestImages;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The handler against a real S3-compatible server, driven by event JSON in the shapes Lambda
 * delivers: SQS batches of S3 notifications, and plain S3 events.
 */
class PublishHandlerTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordedRequests requests = new RecordedRequests();
    private final S3Client s3 = S3.recordingClient(requests);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private String source;
    private String site;
    private SiteConfig config;
    private PublishHandler handler;

    @BeforeEach
    void freshBuckets() {
        source = S3.newBucket("source");
        site = S3.newBucket("site");
        config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site, "SITE_URL", "https://blog.example.com",
                "SITE_NAME", "Example Blog", "MAX_POST_BYTES", "2000"));
        handler = new PublishHandler(s3, config, new PrintStream(logs, true, UTF_8), "publish-test");
    }

    @Test
    void anUploadedPostIsPublishedAsAnHtmlPage() {
        String etag = upload("posts/hello.md", "---\ntitle: Hello\n---\nWorld.");

        invoke(S3Events.event().put(source, "posts/hello.md", 31, etag, "0001").json());

        assertThat(sentHeader("PUT", "/posts/hello/index.html", "Content-Type")).isEqualTo("text/html; charset=utf-8");
        HeadObjectResponse page = s3.headObject(b -> b.bucket(site).key("posts/hello/index.html"));
        // S3Mock normalises the stored type to "text/html;charset=utf-8"; S3 keeps it as sent
        assertThat(page.contentType().replace(" ", "")).isEqualTo("text/html;charset=utf-8");
        assertThat(page.cacheControl()).isEqualTo("public, max-age=300");
        assertThat(page.metadata()).containsEntry("source-key", "posts%2Fhello.md")
                .containsEntry("source-etag", etag)
                .containsEntry("sequencer", "0001")
                .containsKey("renderer");
        assertThat(read(site, "posts/hello/index.html")).contains("<title>Hello</title>", "<p>World.</p>");
        JsonNode line = onlyLogLine();
        assertThat(line.get("key").asText()).isEqualTo("posts/hello.md");
        assertThat(line.get("action").asText()).isEqualTo("RENDERED");
        assertThat(line.get("outcome").asText()).isEqualTo("ok");
        assertThat(line.has("ms")).isTrue();
    }

    @Test
    void thePageHasTheSameBytesTheRenderCommandProduces(@TempDir Path folder) throws IOException {
        byte[] post = Files.readAllBytes(Path.of("examples/site/posts/getting-started.md"));
        String etag = upload("posts/getting-started.md", post);

        invoke(S3Events.event().put(source, "posts/getting-started.md", post.length, etag, "0001").json());

        Files.createDirectories(folder.resolve("src/posts"));
        Files.write(folder.resolve("src/posts/getting-started.md"), post);
        FileSystemStore local = new FileSystemStore(folder.resolve("site"));
        new Publisher(new FileSystemStore(folder.resolve("src")), local, config).rebuild();
        assertThat(bytes(site, "posts/getting-started/index.html"))
                .isEqualTo(Files.readAllBytes(folder.resolve("site/posts/getting-started/index.html")));
    }

    @Test
    void anUpdatedPostReplacesItsPage() {
        String first = upload("posts/a.md", "---\ntitle: First\n---\nv1");
        invoke(S3Events.event().put(source, "posts/a.md", 25, first, "0001").json());
        String second = upload("posts/a.md", "---\ntitle: Second\n---\nv2");

        invoke(S3Events.event().put(source, "posts/a.md", 26, second, "0002").json());

        assertThat(read(site, "posts/a/index.html")).contains("<title>Second</title>");
    }

    @Test
    void aDeletedPostLosesItsPage() {
        String etag = upload("posts/a.md", "Hello.");
        invoke(S3Events.event().put(source, "posts/a.md", 6, etag, "0001").json());
        s3.deleteObject(b -> b.bucket(source).key("posts/a.md"));

        invoke(S3Events.event().delete(source, "posts/a.md", "0002").json());

        assertThat(keys(site)).isEmpty();
        assertThat(onlyLogLine(1).get("action").asText()).isEqualTo("DELETED");
    }

    @Test
    void aDeleteRacedByAReuploadKeepsThePage() {
        String etag = upload("posts/a.md", "Hello.");
        invoke(S3Events.event().put(source, "posts/a.md", 6, etag, "0001").json());

        invoke(S3Events.event().delete(source, "posts/a.md", "0002").json());

        assertThat(keys(site)).containsExactly("posts/a/index.html");
    }

    @Test
    void anAssetIsCopiedWithItsContentType() throws IOException {
        byte[] jpeg = Files.readAllBytes(Path.of("examples/site/img/cover (1).JPG"));
        String etag = upload("img/cover (1).JPG", jpeg);

        invoke(S3Events.event().put(source, "img/cover (1).JPG", jpeg.length, etag, "0001").json());

        assertThat(bytes(site, "img/cover (1).JPG")).isEqualTo(jpeg);
        HeadObjectResponse copy = s3.headObject(b -> b.bucket(site).key("img/cover (1).JPG"));
        assertThat(copy.cacheControl()).isEqualTo("public, max-age=86400"); // ASSET_CACHE_CONTROL: assets are kept a day
        assertThat(copy.metadata()).containsEntry("source-etag", etag);
        // a server-side copy: S3 applies the Content-Type of the request (MetadataDirective REPLACE);
        // S3Mock 5.2.0 keeps the source's type, so the request itself is checked
        assertThat(sentHeader("PUT", "/img/cover%20%281%29.JPG", "Content-Type")).isEqualTo("image/jpeg");
        assertThat(sentHeader("PUT", "/img/cover%20%281%29.JPG", "x-amz-metadata-directive")).isEqualTo("REPLACE");
    }

    @Test
    void aDraftIsNotPublishedAndItsEarlierPageIsRemoved() {
        String published = upload("posts/a.md", "Public.");
        invoke(S3Events.event().put(source, "posts/a.md", 7, published, "0001").json());
        String draft = upload("posts/a.md", "---\ndraft: true\n---\nNot yet.");

        invoke(S3Events.event().put(source, "posts/a.md", 30, draft, "0002").json());

        assertThat(keys(site)).isEmpty();
        assertThat(onlyLogLine(1).get("action").asText()).isEqualTo("DRAFT");
    }

    @Test
    void anEncodedKeyIsDecodedExactlyOnce() {
        String key = "posts/C++ tips für Café.md";
        String etag = upload(key, "---\ntitle: Plus\n---\nBody.");
        String encoded = S3Events.encode(key);
        assertThat(encoded).isEqualTo("posts/C%2B%2B+tips+f%C3%BCr+Caf%C3%A9.md");

        invoke(S3Events.event().put(source, key, 26, etag, "0001").json());

        assertThat(keys(site)).containsExactly("posts/C++ tips für Café/index.html");
        assertThat(s3.headObject(b -> b.bucket(site).key("posts/C++ tips für Café/index.html")).metadata())
                .containsEntry("source-key", "posts%2FC%2B%2B+tips+f%C3%BCr+Caf%C3%A9.md");
    }

    @Test
    void theSampleEncodedEventDecodesToItsPost() throws IOException {
        byte[] json = Files.readAllBytes(Path.of("events/s3-put-encoded.json"));
        var record = Notifications.read(json).notices().get(0).record();
        assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo("posts/C++ tips für Café.md");
        assertThat(Path.of("examples/site", record.getS3().getObject().getUrlDecodedKey())).exists();
    }

    @Test
    void aDuplicateEventDoesNotRewriteThePage() {
        String etag = upload("posts/a.md", "Hello.");
        invoke(S3Events.event().put(source, "posts/a.md", 6, etag, "0001").json());
        markPage("posts/a/index.html");

        invoke(S3Events.event().put(source, "posts/a.md", 6, etag, "0001").json());

        assertThat(read(site, "posts/a/index.html")).isEqualTo("MARKER");
        assertThat(onlyLogLine(1).get("action").asText()).isEqualTo("UNCHANGED");
    }

    @Test
    void aStaleEventAfterANewerOneChangesNothing() {
        String first = upload("posts/a.md", "---\ntitle: First\n---\nv1");
        String second = upload("posts/a.md", "---\ntitle: Second\n---\nv2");
        invoke(S3Events.event().put(source, "posts/a.md", 26, second, "00A2").json());
        markPage("posts/a/index.html");

        invoke(S3Events.event().put(source, "posts/a.md", 25, first, "0A1").json());

        assertThat(read(site, "posts/a/index.html")).isEqualTo("MARKER");
        assertThat(onlyLogLine(1).get("action").asText()).isEqualTo("STALE");
    }

    @Test
    void anOversizePostIsRejectedFromTheEventWithoutDownloadingIt() {
        String etag = upload("posts/big.md", "Small enough to render, but the event says otherwise.");

        invoke(S3Events.event().put(source, "posts/big.md", 5_000_000, etag, "0001").json());

        assertThat(keys(site)).isEmpty();
        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("permanent_failure");
        assertThat(line.get("reason").asText()).contains("5000000 bytes", "MAX_POST_BYTES");
    }

    @Test
    void anInvalidPostWritesNoPageThrowsNothingAndLogsOneErrorWithAMetric() {
        String etag = upload("posts/bad.md", "---\ntitle: [unclosed\n---\nBody.");

        List<String> retried = invoke(S3Events.event().put(source, "posts/bad.md", 28, etag, "0001").sqs());

        assertThat(retried).as("a bad post is never retried").isEmpty();
        assertThat(keys(site)).isEmpty();
        JsonNode line = onlyLogLine();
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("key").asText()).isEqualTo("posts/bad.md");
        assertThat(line.get("reason").asText()).startsWith("front matter:");
        assertThat(line.get("PermanentFailures").asInt()).isEqualTo(1);
        JsonNode metrics = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(metrics.get("Namespace").asText()).isEqualTo("PostRenderer");
        assertThat(metrics.get("Metrics").get(0).get("Name").asText()).isEqualTo("PermanentFailures");
        assertThat(metrics.get("Dimensions").get(0).get(0).asText()).isEqualTo("FunctionName");
        assertThat(line.get("FunctionName").asText()).isEqualTo("publish-test");
    }

    @Test
    void anUndecodableKeyIsAPermanentFailure() {
        invoke(S3Events.event().rawKey(source, "ObjectCreated:Put", "posts/%E0%A4%A.md").json());

        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("permanent_failure");
        assertThat(line.get("reason").asText()).contains("cannot be URL-decoded");
    }

    @Test
    void oneBadRecordDoesNotStopTheOthers() {
        String good = upload("posts/good.md", "Good.");
        String bad = upload("posts/bad.md", "---\n- not a mapping\n---\n");
        byte[] png = TestImages.png(8, 8, false);
        String asset = upload("img/a.png", png);

        List<String> retried = invoke(S3Events.event()
                .put(source, "posts/bad.md", 24, bad, "0001")
                .put(source, "posts/good.md", 5, good, "0001")
                .put(source, "img/a.png", png.length, asset, "0001")
                .sqs());

        assertThat(retried).isEmpty();
        assertThat(logLines()).extracting(line -> line.get("key").asText() + " " + line.get("outcome").asText())
                .containsExactly("posts/bad.md permanent_failure", "posts/good.md ok", "img/a.png ok");
        assertThat(keys(site)).containsExactly("img/a.png", "posts/good/index.html");
        assertThat(logLines()).hasSize(3);
    }

    @Test
    void anUnreachableS3IsATransientFailureAndWritesNothing() {
        String etag = upload("posts/a.md", "Hello.");
        S3Client unreachable = S3Clients.local(URI.create("http://127.0.0.1:9"));
        PublishHandler offline = new PublishHandler(unreachable, config, new PrintStream(logs, true, UTF_8), "t");

        assertThatThrownBy(() -> Invocations.invoke(offline,
                S3Events.event().put(source, "posts/a.md", 6, etag, "0001").json()))
                .isInstanceOf(TransientFailureException.class)
                .hasMessageContaining("posts/a.md");

        assertThat(keys(site)).isEmpty();
        assertThat(onlyLogLine().get("outcome").asText()).isEqualTo("transient_failure");
    }

    @Test
    void aLayoutChangeRendersEveryPostAgain() {
        String a = upload("posts/a.md", "# A\n\nFirst.\n");
        String b = upload("posts/b.md", "# B\n\nSecond.\n");
        invoke(S3Events.event().put(source, "posts/a.md", 14, a, "0001")
                .put(source, "posts/b.md", 15, b, "0001").json());
        String layout = "<!DOCTYPE html><html lang=\"{{lang}}\"><head>{{{head}}}</head><body class=\"v2\">"
                + "{{{page.titleHtml}}}{{{content}}}</body></html>";
        String etag = upload("_layouts/post.mustache", layout);

        invoke(S3Events.event().put(source, "_layouts/post.mustache", layout.length(), etag, "0001")
                .json());

        assertThat(read(site, "posts/a/index.html")).contains("<body class=\"v2\"><h1 id=\"a\">A</h1>");
        assertThat(read(site, "posts/b/index.html")).contains("<body class=\"v2\"><h1 id=\"b\">B</h1>");
        assertThat(onlyLogLine(2).get("action").asText()).isEqualTo("RENDERED");
    }

    @Test
    void anEventWithoutRecordsIsHarmless() {
        assertThat(invoke("{\"Records\":[]}")).isEmpty();
        assertThat(onlyLogLine().get("outcome").asText()).isEqualTo("no_records");
    }

    // --- SQS batches

    @Test
    void aBatchOfUploadsIsCommittedWithOneWriteOfTheState() {
        S3Events batch = S3Events.event();
        for (String name : List.of("a", "b", "c", "d")) {
            String text = "---\ntitle: " + name + "\ntags: [t]\n---\nBody " + name + ".";
            batch.put(source, "posts/" + name + ".md", text.length(), upload("posts/" + name + ".md", text), "0001");
        }
        requests.clear();

        assertThat(invoke(batch.sqs())).isEmpty();

        assertThat(requests.summary()).filteredOn(line -> line.startsWith("PUT") && line.contains("/_site/state.json"))
                .hasSize(1);
        assertThat(requests.summary()).filteredOn(line -> line.startsWith("PUT") && line.endsWith("/tags/t/index.html"))
                .hasSize(1);
        assertThat(keys(site)).containsExactly("posts/a/index.html", "posts/b/index.html", "posts/c/index.html",
                "posts/d/index.html");
    }

    @Test
    void duplicateAndStaleRecordsInOneBatchCollapseToTheNewest() {
        String first = upload("posts/a.md", "---\ntitle: First\n---\nv1");
        String second = upload("posts/a.md", "---\ntitle: Second\n---\nv2");

        invoke(S3Events.event().put(source, "posts/a.md", 26, second, "0002")
                .put(source, "posts/a.md", 25, first, "0001")
                .put(source, "posts/a.md", 26, second, "0002").sqs());

        assertThat(read(site, "posts/a/index.html")).contains("<title>Second</title>");
        assertThat(logLines()).hasSize(3).allSatisfy(line -> assertThat(line.get("action").asText())
                .isEqualTo("RENDERED"));
    }

    @Test
    void s3TestEventsAreIgnored() {
        String event = S3Events.sqs(List.of(S3Events.message("m0", S3Events.testEvent(source))));

        assertThat(invoke(event)).isEmpty();

        assertThat(onlyLogLine().get("outcome").asText()).isEqualTo("no_records");
    }

    @Test
    void aMessageThatIsNotAnS3NotificationIsLoggedAndNotRetried() {
        String event = S3Events.sqs(List.of(S3Events.message("m0", "not json at all")));

        assertThat(invoke(event)).isEmpty();

        JsonNode line = onlyLogLine();
        assertThat(line.get("outcome").asText()).isEqualTo("permanent_failure");
        assertThat(line.get("event").asText()).isEqualTo("sqs:m0");
        assertThat(line.get("reason").asText()).contains("not an S3 event notification");
    }

    @Test
    void aTransientFailureNamesOnlyTheMessagesOfItsKey() {
        String good = upload("posts/good.md", "Good.");
        String slow = upload("posts/slow.md", "Slow.");
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            proxy.fail("GET", "/posts/slow.md", FaultyS3Proxy.Fault.INTERNAL_ERROR, 1_000);
            PublishHandler flaky = new PublishHandler(S3.newClient(proxy.endpoint()), config,
                    new PrintStream(logs, true, UTF_8), "flaky");

            List<String> retried = Invocations.invoke(flaky, S3Events.event()
                    .put(source, "posts/good.md", 5, good, "0001")
                    .put(source, "posts/slow.md", 5, slow, "0001").sqs());

            assertThat(retried).containsExactly("m1");
        }
        assertThat(keys(site)).containsExactly("posts/good/index.html");
        assertThat(logLines()).extracting(line -> line.get("outcome").asText())
                .containsExactly("ok", "transient_failure");
    }

    @Test
    void aRetryOfTheFailedMessageAloneFinishesTheJob() {
        String slow = upload("posts/slow.md", "Slow.");
        String event = S3Events.event().put(source, "posts/slow.md", 5, slow, "0001").sqs();
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            proxy.fail("PUT", "/_site/state.json", FaultyS3Proxy.Fault.SLOW_DOWN, 1_000);
            PublishHandler flaky = new PublishHandler(S3.newClient(proxy.endpoint()), config,
                    new PrintStream(logs, true, UTF_8), "flaky");
            assertThat(Invocations.invoke(flaky, event)).containsExactly("m0");
        }

        assertThat(invoke(event)).isEmpty();

        assertThat(read(site, "index.html")).contains("posts/slow/");
        assertThat(read(site, "posts/slow/index.html")).contains("Slow.");
    }

    // --- helpers

    @Test
    void aMalformedRecordIsReportedAndTheOtherRecordsOfThePlainEventArePublished() throws Exception {
        String etag = upload("posts/fine.md", "---\ntitle: Fine\n---\nBody.");
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(S3Events.event().put(source, "posts/fine.md", 30, etag, "0001").json());
        com.fasterxml.jackson.databind.node.ArrayNode records = (com.fasterxml.jackson.databind.node.ArrayNode)
                event.get("Records");
        records.insert(0, JSON.readTree("{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                + source + "\"},\"object\":{\"size\":\"not a number\"}}}"));

        assertThat(invoke(JSON.writeValueAsString(event))).isEmpty();

        assertThat(read(site, "posts/fine/index.html")).contains("<title>Fine</title>");
        assertThat(logLines()).anySatisfy(line -> {
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("reason").asText()).contains("a malformed S3 record");
        }).anySatisfy(line -> assertThat(line.path("action").asText()).isEqualTo("RENDERED"));
    }

    private List<String> invoke(String event) {
        return Invocations.invoke(handler, event);
    }

    private String upload(String key, String text) {
        return upload(key, text.getBytes(UTF_8));
    }

    private String upload(String key, byte[] content) {
        s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces a page's content with a marker, keeping its metadata, to see whether it is written again. */
    private void markPage(String key) {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(site).key(key));
        s3.putObject(b -> b.bucket(site).key(key).contentType(head.contentType()).metadata(head.metadata()),
                RequestBody.fromString("MARKER"));
    }

    /** A header of the last request with this method whose path ends with {@code pathSuffix}. */
    private String sentHeader(String method, String pathSuffix, String header) {
        return requests.all().stream()
                // the path is /<bucket><pathSuffix>: not a longer key that ends the same way
                .filter(request -> request.method().name().equals(method) && request.encodedPath().endsWith(pathSuffix)
                        && request.encodedPath().indexOf('/', 1) == request.encodedPath().length() - pathSuffix.length())
                .reduce((first, second) -> second)
                .flatMap(request -> request.firstMatchingHeader(header))
                .orElseThrow(() -> new AssertionError("no " + method + " " + pathSuffix + " with " + header + " in "
                        + requests.summary()));
    }

    private String read(String bucket, String key) {
        String text = new String(bytes(bucket, key), UTF_8);
        if (key.endsWith(".html") && !text.equals("MARKER")) {
            OutputOracle.check(text);
        }
        return text;
    }

    private byte[] bytes(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** The posts' pages and the assets in a bucket: everything but the pages derived from the manifest. */
    private List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .filter(key -> key.startsWith("posts/") || key.startsWith("img/")).sorted().toList();
    }

    private List<JsonNode> logLines() {
        return logs.toString(UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }).toList();
    }

    private JsonNode onlyLogLine() {
        assertThat(logLines()).hasSize(1);
        return logLines().get(0);
    }

    /** The log line of the n-th record handled (0-based), across handler calls. */
    private JsonNode onlyLogLine(int index) {
        return logLines().get(index);
    }

}
