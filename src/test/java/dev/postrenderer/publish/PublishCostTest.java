package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.testing.RecordedRequests;
import dev.postrenderer.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What one upload costs in S3 requests on a site of 500 posts: the number must not grow with the
 * site. The counts are asserted; the milliseconds (S3Mock on this machine) are only reported, in
 * {@code target/publish-cost.txt}.
 */
@Timeout(600)
class PublishCostTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final int SITE_SIZE = 500;
    private static final RecordedRequests REQUESTS = new RecordedRequests();
    private static final S3Client CLIENT = S3.recordingClient(REQUESTS);
    private static final String SOURCE = S3.newBucket("source");
    private static final String SITE = S3.newBucket("site");
    private static final SiteConfig CONFIG = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", SITE,
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Cost"));
    private static final List<String> REPORT = new ArrayList<>();
    private static Publisher publisher;
    private static long sequencer = 0x1000;

    @BeforeAll
    static void aSiteOfFiveHundredPosts() {
        for (int i = 0; i < SITE_SIZE; i++) {
            upload(String.format("posts/p%03d.md", i), post(i, "tag" + (i % 20), "common"));
        }
        S3ObjectStore source = new S3ObjectStore(CLIENT, SOURCE);
        S3ObjectStore site = new S3ObjectStore(CLIENT, SITE);
        new SiteBuilder(source, site, CONFIG).build();
        publisher = new Publisher(source, site, CONFIG);
        // a first event warms the renderers, as the function's init (and SnapStart) would
        measure("warm-up (not counted)", () -> publisher.created(event("posts/p000.md")));
    }

    @Test
    void aNewPostWithTwoExistingTagsTakesAtMostTenRequests() {
        upload("posts/new.md", post(999, "tag1", "common"));
        int requests = measure("new post, 2 existing tags", () -> publisher.created(event("posts/new.md")));
        assertThat(requests).as(REQUESTS.summary().toString()).isLessThanOrEqualTo(10);
    }

    @Test
    void anEditedPostTakesAtMostTenRequests() {
        upload("posts/p123.md", post(123, "tag3", "common") + "\nAn added paragraph.\n");
        int requests = measure("edited post (body only)", () -> publisher.created(event("posts/p123.md")));
        assertThat(requests).as(REQUESTS.summary().toString()).isLessThanOrEqualTo(10);
    }

    @Test
    void aDuplicateEventWritesNothing() {
        upload("posts/p200.md", post(200, "tag0", "common"));
        SourceEvent event = event("posts/p200.md");
        publisher.created(event);
        int requests = measure("duplicate event", () -> publisher.created(event));
        assertThat(requests).isLessThanOrEqualTo(10);
        assertThat(REQUESTS.all()).noneMatch(request -> request.method().name().equals("PUT")
                || request.method().name().equals("DELETE"));
    }

    @Test
    void aDeletedPostTakesAtMostTenRequests() {
        CLIENT.deleteObject(b -> b.bucket(SOURCE).key("posts/p321.md"));
        int requests = measure("deleted post, 2 tags", () -> publisher.removed(new SourceEvent("posts/p321.md",
                OptionalLong.empty(), Optional.empty(), Optional.of(Long.toHexString(++sequencer)))));
        assertThat(requests).as(REQUESTS.summary().toString()).isLessThanOrEqualTo(10);
    }

    private static int measure(String what, Runnable action) {
        REQUESTS.clear();
        long started = System.nanoTime();
        action.run();
        long millis = (System.nanoTime() - started) / 1_000_000;
        int count = REQUESTS.all().size();
        String line = String.format("%-28s %2d S3 requests %5d ms  %s", what, count, millis, REQUESTS.summary());
        REPORT.add(line);
        try {
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target/publish-cost.txt"), REPORT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count;
    }

    private static String post(int i, String... tags) {
        return String.format("---%ntitle: Post %d%ndescription: The post number %d.%ndate: 2024-%02d-%02d%ntags: [%s]%n"
                + "---%n%n## Section%n%nSome *markdown* text for post %d, with a [link](p001.md).%n", i, i,
                i % 12 + 1, i % 28 + 1, String.join(", ", tags), i);
    }

    private static SourceEvent event(String key) {
        byte[] content = CLIENT.getObjectAsBytes(b -> b.bucket(SOURCE).key(key)).asByteArray();
        REQUESTS.clear();
        return new SourceEvent(key, OptionalLong.of(content.length), Optional.of(md5(content)),
                Optional.of(Long.toHexString(++sequencer)));
    }

    private static void upload(String key, String text) {
        CLIENT.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromString(text, UTF_8));
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
