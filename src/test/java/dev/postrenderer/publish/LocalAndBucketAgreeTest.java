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

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
