package dev.postrenderer.bench;

import dev.postrenderer.aws.S3Clients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Prepares the local S3 of the cold-start benchmark: {@code seed ENDPOINT} uploads the seed post
 * the sample event names; {@code reset ENDPOINT} empties the site bucket, so that every cold
 * invocation does the whole job again rather than finding its page already published;
 * {@code manifest ENDPOINT FILE} makes the site bucket's manifest that of a rendered site, so
 * that an invocation adds its post to a site of that size.
 */
public final class BenchBuckets {

    private BenchBuckets() {
    }

    public static void main(String[] args) throws Exception {
        S3Client s3 = S3Clients.local(URI.create(args[1]));
        switch (args[0]) {
            case "seed" -> s3.putObject(b -> b.bucket("source").key("posts/ai-art.md"),
                    RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site/posts/ai-art.md"))));
            case "reset" -> {
                for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket("site")).contents()) {
                    s3.deleteObject(b -> b.bucket("site").key(object.key()));
                }
            }
            case "manifest" -> s3.putObject(b -> b.bucket("site").key("_site/manifest.json"),
                    RequestBody.fromFile(Path.of(args[2])));
            default -> throw new IllegalArgumentException("seed, reset or manifest, not " + args[0]);
        }
    }
}
