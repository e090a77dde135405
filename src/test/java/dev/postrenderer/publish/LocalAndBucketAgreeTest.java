package dev.postrenderer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The example site published event by event into a bucket equals the same site rendered from a folder, byte for byte. */
class LocalAndBucketAgreeTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final Path EXAMPLE = Path.of("examples/site");

    @Test
    void everyObjectOfTheBucketEqualsTheFileRenderedFromTheFolder(@TempDir Path folder) throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Example Blog"));
        Publisher publisher = new Publisher(new S3ObjectStore(s3, source), new S3ObjectStore(s3, site), config);
        long sequencer = 0x100;
        for (String key : files(EXAMPLE)) {
            byte[] content = Files.readAllBytes(EXAMPLE.resolve(key));
            s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
            publisher.created(new SourceEvent(key, OptionalLong.of(content.length), Optional.of(md5(content)),
                    Optional.of(Long.toHexString(++sequencer))));
        }

        new SiteBuilder(new FileSystemStore(EXAMPLE), new FileSystemStore(folder), config).build();

        List<String> bucket = s3.listObjectsV2Paginator(b -> b.bucket(site)).contents().stream()
                .map(S3Object::key).filter(key -> !key.equals(ManifestStore.KEY)).sorted().toList();
        List<String> local = files(folder).stream().filter(key -> !key.equals(ManifestStore.KEY)).toList();
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

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
