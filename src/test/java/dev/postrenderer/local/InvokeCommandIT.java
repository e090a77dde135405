package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code java -jar target/post-renderer.jar invoke} as a user runs it: the packaged CLI starts the
 * packaged function in a fresh JVM under the real runtime interface client, against S3Mock, with
 * the sample events of {@code events/} unchanged.
 */
class InvokeCommandIT {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client s3 = S3.client();

    @BeforeAll
    static void theBucketsTheSampleEventsName() {
        for (String bucket : List.of("source", "site")) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
    }

    @Test
    void theSamplePutEventPublishesTheSeedPostAndPrintsAReport() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke("events/s3-put.json");

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("\"key\":\"posts/ai-art.md\"", "\"action\":\"RENDERED\"")
                .contains("{\"records\":1,\"handled\":1,\"rejected\":0}")
                .containsPattern("REPORT RequestId: \\S+\\tInit Duration: \\d+\\.\\d\\d ms\\tDuration: \\d+\\.\\d\\d ms"
                        + "\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB");
        String page = s3.getObjectAsBytes(b -> b.bucket("site").key("posts/ai-art/index.html")).asUtf8String();
        assertThat(page).contains("<title>The Cutting-Edge Technology Behind AI Art</title>")
                .contains("<link rel=\"canonical\" href=\"https://blog.example.com/posts/ai-art/\">");
    }

    @Test
    void theSampleEncodedEventIsDecodedOnce() throws Exception {
        upload("posts/C++ tips für Café.md");

        Result result = invoke("events/s3-put-encoded.json");

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/C++ tips für Café/index.html")).contentLength())
                .isPositive();
    }

    @Test
    void theSampleDeleteEventRemovesThePage() throws Exception {
        upload("posts/ai-art.md");
        assertThat(invoke("events/s3-put.json").status()).isZero();
        s3.deleteObject(b -> b.bucket("source").key("posts/ai-art.md"));

        Result result = invoke("events/s3-delete.json");

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"action\":\"DELETED\"");
        assertThat(s3.listObjectsV2(b -> b.bucket("site").prefix("posts/ai-art/")).contents()).isEmpty();
    }

    @Test
    void aFailingFunctionPrintsItsErrorAndExitsWithOne() throws Exception {
        Result result = invoke("events/s3-put.json", Map.of("S3_ENDPOINT", "http://127.0.0.1:9"));

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("transient_failure", "TransientFailureException", "REPORT RequestId:");
    }

    private static void upload(String key) throws IOException {
        s3.putObject(b -> b.bucket("source").key(key),
                RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site").resolve(key))));
    }

    private static Result invoke(String event) throws Exception {
        return invoke(event, Map.of("S3_ENDPOINT", S3.endpoint().toString()));
    }

    private static Result invoke(String event, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(LocalS3.javaExecutable(), "-jar", "target/post-renderer.jar",
                "invoke", "--event", event, "--env-vars", "events/env.json"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("AWS_ACCESS_KEY_ID");
        builder.environment().remove("AWS_SECRET_ACCESS_KEY");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int status, String output) {
    }
}
