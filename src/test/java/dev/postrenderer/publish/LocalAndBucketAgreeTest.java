package dev.postrenderer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The example site published through the function in SQS batches of several sizes equals the
 * same site rendered from a folder at once, byte for byte: pages, listings, feed and sitemaps.
 */
class LocalAndBucketAgreeTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final Path EXAMPLE = Path.of("examples/site");

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 3, 100})
    void everyObjectOfTheBucketEqualsTheFileRenderedFromTheFolder(int batchSize, @TempDir Path folder)
            throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Example Blog"));
        PublishHandler handler = new PublishHandler(s3, config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "agree");
        long sequencer = 0x100;
        List<String> keys = files(EXAMPLE);
        for (int from = 0; from < keys.size(); from += batchSize) {
            S3Events batch = S3Events.event();
            for (String key : keys.subList(from, Math.min(keys.size(), from + batchSize))) {
                byte[] content = Files.readAllBytes(EXAMPLE.resolve(key));
                s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
                batch.put(source, key, content.length, ETags.of(content), Long.toHexString(++sequencer));
            }
            assertThat(Invocations.invoke(handler, batch.sqs())).isEmpty();
        }

        new Publisher(new FileSystemStore(EXAMPLE), new FileSystemStore(folder), config).rebuild();

        List<String> bucket = s3.listObjectsV2Paginator(b -> b.bucket(site)).contents().stream()
                .map(S3Object::key).filter(key -> !key.startsWith("_site/")).sorted().toList();
        List<String> local = files(folder).stream().filter(key -> !key.startsWith("_site/")).toList();
        assertThat(bucket).containsExactlyElementsOf(local).contains("index.html", "feed.xml", "sitemap.xml",
                "tags/aws/index.html", "posts/ai-art/index.html");
        for (String key : local) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(site).key(key)).asByteArray()).as(key)
                    .isEqualTo(Files.readAllBytes(folder.resolve(key)));
            if (key.endsWith(".html")) {
                OutputOracle.check(Files.readString(folder.resolve(key)));
            }
        }
    }

    /**
     * A site large enough for archive pages, tag archive pages and monthly sitemaps: posts with
     * random dates arrive in random order, in batches of several sizes, some updated and some
     * deleted later, and the bucket still equals the folder rendered at once from the final source.
     */
    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 7, 60})
    void aPaginatedSiteBuiltInShuffledBatchesEqualsTheFolder(int batchSize, @TempDir Path folder) throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Paginated"));
        PublishHandler handler = new PublishHandler(s3, config,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "agree");
        java.util.Random random = new java.util.Random(batchSize);
        Path local = folder.resolve("source");
        java.util.List<String> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 140; i++) {
            changes.add("put posts/p" + i + ".md");
        }
        for (int i = 0; i < 25; i++) {
            changes.add("put posts/p" + random.nextInt(140) + ".md");
        }
        for (int i = 0; i < 15; i++) {
            changes.add("delete posts/p" + random.nextInt(140) + ".md");
        }
        java.util.Collections.shuffle(changes.subList(0, 140), random);
        long sequencer = 0x1000;
        for (int from = 0; from < changes.size(); from += batchSize) {
            S3Events batch = S3Events.event();
            for (String change : changes.subList(from, Math.min(changes.size(), from + batchSize))) {
                String key = change.substring(change.indexOf(' ') + 1);
                Path file = local.resolve(key);
                if (change.startsWith("delete")) {
                    s3.deleteObject(b -> b.bucket(source).key(key));
                    Files.deleteIfExists(file);
                    batch.delete(source, key, Long.toHexString(++sequencer));
                } else {
                    byte[] content = ("---\ntitle: Post " + key + " " + random.nextInt(1000) + "\ndate: "
                            + java.time.LocalDate.of(2020, 1, 1).plusDays(random.nextInt(700)) + "\ntags: [t"
                            + random.nextInt(3) + "]\n---\nBody.\n").getBytes(StandardCharsets.UTF_8);
                    s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                    batch.put(source, key, content.length, ETags.of(content), Long.toHexString(++sequencer));
                }
            }
            assertThat(Invocations.invoke(handler, batch.sqs())).isEmpty();
        }

        Path rendered = folder.resolve("site");
        new Publisher(new FileSystemStore(local), new FileSystemStore(rendered), config).rebuild();

        List<String> bucket = s3.listObjectsV2Paginator(b -> b.bucket(site)).contents().stream()
                .map(S3Object::key).filter(key -> !key.startsWith("_site/")).sorted().toList();
        List<String> expected = files(rendered).stream().filter(key -> !key.startsWith("_site/")).toList();
        assertThat(bucket).containsExactlyElementsOf(expected).contains("sitemaps/latest.xml")
                .anyMatch(key -> key.startsWith("page/")).anyMatch(key -> key.matches("tags/t\\d/page/.*"));
        for (String key : expected) {
            assertThat(new String(s3.getObjectAsBytes(b -> b.bucket(site).key(key)).asByteArray(),
                    StandardCharsets.UTF_8)).as(key).isEqualTo(Files.readString(rendered.resolve(key)));
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
