package dev.postrenderer.bench;

import dev.postrenderer.aws.S3Clients;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.publish.BatchResult;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Prepares the local S3 of the cold-start benchmark, so that every cold invocation does what an
 * author's typical update costs: one post added to an existing site.
 * <ul>
 * <li>{@code restore ENDPOINT} makes the buckets the example site without its seed post
 * (published through {@link Publisher}, as the function would have), then uploads the seed
 * post to the source bucket; the sample event {@code events/s3-put.json} then adds it.</li>
 * <li>{@code site ENDPOINT DIR} makes the site bucket a site rendered into DIR, without the
 * posts' own pages (which adding a post never reads), so an invocation adds the seed post to a
 * site of that size.</li>
 * </ul>
 */
public final class BenchBuckets {

    private static final Path EXAMPLE = Path.of("examples/site");
    private static final String SEED = "posts/ai-art.md";

    private BenchBuckets() {
    }

    public static void main(String[] args) throws Exception {
        S3Client s3 = S3Clients.local(URI.create(args[1]));
        switch (args[0]) {
            case "restore" -> restore(s3);
            case "site" -> {
                empty(s3, "site");
                upload(s3, Path.of(args[2]), "site", key -> !key.startsWith("posts/"));
            }
            default -> throw new IllegalArgumentException("restore or site, not " + args[0]);
        }
    }

    private static void restore(S3Client s3) throws IOException {
        empty(s3, "source");
        empty(s3, "site");
        upload(s3, EXAMPLE, "source", key -> !key.equals(SEED));
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", "site",
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Blog"));
        BatchResult result = new Publisher(new S3ObjectStore(s3, "source"), new S3ObjectStore(s3, "site"), config)
                .rebuild();
        if (!result.failed().isEmpty()) {
            throw new IllegalStateException("the example site did not publish: " + result.failed());
        }
        s3.putObject(b -> b.bucket("source").key(SEED), RequestBody.fromFile(EXAMPLE.resolve(SEED)));
    }

    private static void empty(S3Client s3, String bucket) {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
    }

    private static void upload(S3Client s3, Path dir, String bucket, Predicate<String> wanted)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String key = dir.relativize(file).toString().replace(File.separatorChar, '/');
            if (wanted.test(key)) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
        }
    }
}
