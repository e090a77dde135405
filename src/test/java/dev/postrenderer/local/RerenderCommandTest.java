package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.S3MockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class RerenderCommandTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private final S3Client s3 = S3.client();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aBucketIsReRenderedHereOnAllCores() {
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        s3.putObject(b -> b.bucket(source).key("posts/a.md"), RequestBody.fromString("# A\n"));
        s3.putObject(b -> b.bucket(source).key("posts/b c.md"), RequestBody.fromString("# B C\n"));

        int status = run("rerender", "--bucket", source, "--site-bucket", site, "--endpoint", S3.endpoint().toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("re-rendered 2 objects, 0 failed");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(site).key("posts/b c/index.html")).asUtf8String())
                .contains("<title>B C</title>");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(site).key("index.html")).asUtf8String()).contains("B C");
    }

    @Test
    void batchWritesTheManifestOfThePostsAndPrintsTheJobCommand(@TempDir Path folder) throws Exception {
        String source = S3.newBucket("source");
        s3.putObject(b -> b.bucket(source).key("posts/a+b c.md"), RequestBody.fromString("# A\n"));
        s3.putObject(b -> b.bucket(source).key("img/x.png"), RequestBody.fromString("png"));
        s3.putObject(b -> b.bucket(source).key("_layouts/post.mustache"), RequestBody.fromString("{{content}}"));
        Path csv = folder.resolve("manifest.csv");

        int status = run("rerender", "--bucket", source, "--endpoint", S3.endpoint().toString(), "--batch",
                "--function-arn", "arn:aws:lambda:us-east-1:123456789012:function:rerender:live",
                "--role-arn", "arn:aws:iam::123456789012:role/batch", "--account-id", "123456789012",
                "--csv", csv.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(Files.readString(csv)).isEqualTo(source + ",posts%2Fa%2Bb%20c.md\n");
        assertThat(out.toString()).contains("aws s3 cp " + csv + " s3://" + source + "/_rerender/manifest-")
                .contains("aws s3control create-job", "--account-id 123456789012",
                        "\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:rerender:live\"",
                        "S3BatchOperations_CSV_20180820", "--role-arn arn:aws:iam::123456789012:role/batch");
    }
}
