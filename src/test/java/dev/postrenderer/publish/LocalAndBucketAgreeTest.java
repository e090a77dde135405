package dev.postrenderer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.MemoryBuckets;
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
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    /** Where the paginated site is published: S3Mock, or the in-memory store with S3's ETags and conditions. */
    enum Buckets {
        S3MOCK, MEMORY;

        Function<String, ObjectStore> open() {
            if (this == MEMORY) {
                return new MemoryBuckets();
            }
            S3Client s3 = S3.client();
            return bucket -> new S3ObjectStore(s3, bucket);
        }

        /** A new, empty bucket's name. */
        String newBucket(String prefix) {
            return this == MEMORY ? prefix : S3.newBucket(prefix);
        }
    }

    static Stream<Arguments> paginatedRuns() {
        // small batches make up to 180 commits: in memory (ObjectStoreContract holds it to S3's
        // semantics), where they take a second; the largest batches on S3Mock as well
        return Stream.of(Arguments.of(1, Buckets.MEMORY), Arguments.of(7, Buckets.MEMORY),
                Arguments.of(60, Buckets.MEMORY), Arguments.of(60, Buckets.S3MOCK));
    }

    /**
     * A site large enough for archive pages, tag archive pages and monthly sitemaps: posts with
     * random dates arrive in random order, in batches of several sizes, some updated and some
     * deleted later, and the bucket still equals the folder rendered at once from the final source.
     */
    @ParameterizedTest(name = "batches of {0} on {1}")
    @MethodSource("paginatedRuns")
    void aPaginatedSiteBuiltInShuffledBatchesEqualsTheFolder(int batchSize, Buckets kind, @TempDir Path folder)
            throws Exception {
        Function<String, ObjectStore> buckets = kind.open();
        String sourceName = kind.newBucket("source");
        String siteName = kind.newBucket("site");
        ObjectStore source = buckets.apply(sourceName);
        ObjectStore site = buckets.apply(siteName);
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", siteName,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Paginated"));
        PublishHandler handler = new PublishHandler(buckets, config,
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
                    source.delete(key);
                    Files.deleteIfExists(file);
                    batch.delete(sourceName, key, Long.toHexString(++sequencer));
                } else {
                    byte[] content = ("---\ntitle: Post " + key + " " + random.nextInt(1000) + "\ndate: "
                            + java.time.LocalDate.of(2020, 1, 1).plusDays(random.nextInt(700)) + "\ntags: [t"
                            + random.nextInt(3) + "]\n---\nBody.\n").getBytes(StandardCharsets.UTF_8);
                    source.put(key, content, new PutOptions("text/markdown", Optional.empty(), Map.of()));
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                    batch.put(sourceName, key, content.length, ETags.of(content), Long.toHexString(++sequencer));
                }
            }
            assertThat(Invocations.invoke(handler, batch.sqs())).isEmpty();
        }

        Path rendered = folder.resolve("site");
        new Publisher(new FileSystemStore(local), new FileSystemStore(rendered), config).rebuild();

        List<String> published = site.list("").stream().map(ObjectInfo::key).filter(key -> !key.startsWith("_site/"))
                .sorted().toList();
        List<String> expected = files(rendered).stream().filter(key -> !key.startsWith("_site/")).toList();
        assertThat(published).containsExactlyElementsOf(expected).contains("sitemaps/latest.xml")
                .anyMatch(key -> key.startsWith("page/")).anyMatch(key -> key.matches("tags/t\\d/page/.*"));
        for (String key : expected) {
            assertThat(new String(site.get(key).orElseThrow().content(), StandardCharsets.UTF_8)).as(key)
                    .isEqualTo(Files.readString(rendered.resolve(key)));
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
