package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.testing.Cli;
import dev.postrenderer.testing.S3AccessLog;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import dev.postrenderer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code java -jar target/post-renderer.jar invoke} as a user runs it: the packaged CLI reads
 * {@code template.yaml} as {@code sam local invoke} does and starts the packaged function in a
 * fresh JVM of the runtime's Java version under the real runtime interface client, against
 * S3Mock, with the sample events of {@code events/} unchanged.
 */
@org.junit.jupiter.api.Order(2) // among the longest: started first
class InvokeCommandIT {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client s3 = S3.client();

    @TempDir
    static Path work;
    /** The README's env.json, pointed at this run's S3Mock instead of dev's port. */
    static Path envVars;

    @BeforeAll
    static void theBucketsTheSampleEventsNameThenTheSharedRuns() throws Exception {
        for (String bucket : List.of("source", "site")) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
        envVars = Files.writeString(work.resolve("env.json"), Files.readString(Path.of("events/env.json"))
                .replace("http://127.0.0.1:9090", S3.endpoint().toString()));
        theSamplePutEventRunAsSnapStartAndOnDemand();
    }

    /**
     * The sample put event as the deployed SnapStart version runs it, the credentials endpoint serving
     * the shell's keys: one run, looked at by several tests below.
     */
    private static Run snapStart;
    /** The same event run on demand ({@code $LATEST}), with keys in the shell. */
    private static Run onDemand;

    /** A run, the site's page it wrote, and the requests the site bucket served during it. */
    private record Run(Cli.Result result, String page, List<S3AccessLog.Entry> siteRequests) {
    }

    private static void theSamplePutEventRunAsSnapStartAndOnDemand() throws Exception {
        snapStart = run(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAFROMTHEENDPOINT", "AWS_SECRET_ACCESS_KEY", "endpoint-secret"));
        onDemand = run(List.of("--on-demand", "--event", "events/s3-put.json", "--env-vars", envVars.toString()),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAFROMTHEENVIRONMENT", "AWS_SECRET_ACCESS_KEY", "s"));
    }

    private static Run run(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        emptyBuckets();
        upload("posts/ai-art.md");
        long mark = S3.accessLog().mark();
        Cli.Result result = CliRun.invoke(arguments, hostEnv);
        List<S3AccessLog.Entry> siteRequests = S3.accessLog().since(mark, "site");
        String page = s3.getObjectAsBytes(b -> b.bucket("site").key("posts/ai-art/index.html")).asUtf8String();
        return new Run(result, page, siteRequests);
    }

    /** Each test starts from empty buckets, so that none sees the state another left (its fences, its pages). */
    @BeforeEach
    void startFromEmptyBuckets() {
        emptyBuckets();
    }

    private static void emptyBuckets() {
        for (String bucket : List.of("source", "site")) {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                    .forEach(object -> s3.deleteObject(b -> b.bucket(bucket).key(object.key())));
        }
    }

    @Test
    void theSamplePutEventPublishesTheSeedPostAsTheRestoredSnapStartVersionAndPrintsItsReport() {
        Cli.Result result = snapStart.result();

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("invoke: PublishFunction dev.postrenderer.aws.PublishHandler::handleRequest, java25, 512 MB,"
                        + " 300 s timeout;", "runtime java25")
                .contains("invoke: SnapStart, as its trigger runs it")
                .contains("\"key\":\"posts/ai-art.md\"", "\"action\":\"RENDERED\"")
                .contains("{\"batchItemFailures\":[]}")
                .containsPattern("INIT_REPORT Init Duration: \\d+\\.\\d\\d ms")
                .containsPattern("REPORT RequestId: \\S+\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms"
                        + "\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\tRestore Duration: \\d+\\.\\d\\d ms"
                        + "\\tBilled Restore Duration: \\d+ ms");
        assertThat(snapStart.page()).contains("<title>The Cutting-Edge Technology Behind AI Art</title>")
                .contains("<link rel=\"canonical\" href=\"https://blog.example.com/posts/ai-art/\">");
    }

    @Test
    void primingRunsInTheBeforeCheckpointHookBeforeTheRestoredInvocation() {
        Cli.Result result = snapStart.result();

        assertThat(result.status()).as(result.output()).isZero();
        String output = result.output();
        int primed = output.indexOf("\"message\":\"primed:");
        assertThat(primed).as(output).isNotNegative();
        // on Lambda the snapshot is taken between the two: priming's line comes before the invocation's
        assertThat(primed).as(output).isLessThan(output.indexOf("\"key\":\"posts/ai-art.md\""));
        assertThat(output).contains("8 S3 requests stopped before the network");
    }

    @Test
    void aSnapStartFunctionSignsItsRequestsWithTheCredentialsTheEndpointServes() {
        Cli.Result result = snapStart.result();

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("container-credentials endpoint served credentials [1-9]\\d* time");
        List<S3AccessLog.Entry> writes = snapStart.siteRequests().stream()
                .filter(entry -> entry.method().equals("PUT")).toList();
        assertThat(writes).as("the page, the state and the pages around it").hasSizeGreaterThan(2);
        // the function's environment holds no access key (InvokeEnvironmentIT), so these came from the endpoint
        assertThat(writes).allSatisfy(entry -> assertThat(entry.accessKeyId()).contains("AKIAFROMTHEENDPOINT"));
    }

    @Test
    void onDemandRunsLatestAsSamLocalInvokeDoesWithItsInitDurationReport() {
        Cli.Result result = onDemand.result();

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("invoke: on demand ($LATEST, as sam local invoke runs it)")
                .contains("\"action\":\"RENDERED\"").doesNotContain("\"message\":\"primed:")
                .containsPattern("REPORT RequestId: \\S+\\tInit Duration: \\d+\\.\\d\\d ms\\tDuration: \\d+\\.\\d\\d ms"
                        + "\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB");
        assertThat(onDemand.page()).contains("<title>The Cutting-Edge Technology Behind AI Art</title>");
    }

    @Test
    void onDemandTheFunctionSignsItsRequestsWithTheCredentialsInItsEnvironment() {
        Cli.Result result = onDemand.result();

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(onDemand.siteRequests()).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.accessKeyId()).contains("AKIAFROMTHEENVIRONMENT"));
    }

    @Test
    void theSampleSqsEventPublishesTheSeedPostAsTheQueueDeliversIt() throws Exception {
        upload("posts/ai-art.md");

        Cli.Result result = CliRun.invoke(List.of("--event", "events/sqs-s3-put.json", "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"key\":\"posts/ai-art.md\"", "{\"batchItemFailures\":[]}");
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/ai-art/index.html")).contentLength()).isPositive();
    }

    @Test
    void anEventMadeByTheEventCommandIsWhatS3SendsAndItsSqsFormIsHandled() throws Exception {
        String key = "posts/C++ tips für Café.md";
        Path file = Path.of("examples/site").resolve(key);
        upload(key);

        Cli.Result event = Cli.run(List.of("event", "put", "--bucket", "source", "--key", key, "--file", file.toString()),
                Map.of());
        assertThat(event.status()).as(event.output()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var made = json.readTree(event.output()).path("Records").get(0).path("s3").path("object");
        var sample = json.readTree(Path.of("events/s3-put-encoded.json").toFile()).path("Records").get(0).path("s3")
                .path("object");
        // the sample holds what S3 sends for this file: its key encoded as S3 encodes it, its size and its ETag
        assertThat(made.path("key")).isEqualTo(sample.path("key"));
        assertThat(made.path("size")).isEqualTo(sample.path("size"));
        assertThat(made.path("eTag")).isEqualTo(sample.path("eTag"));

        Cli.Result sqs = Cli.run(List.of("event", "put", "--bucket", "source", "--key", key, "--file", file.toString(), "--sqs"),
                Map.of());
        Path batch = Files.writeString(work.resolve("sqs-event.json"), sqs.output());
        Cli.Result result = CliRun.invoke(List.of("--event", batch.toString(), "--env-vars", envVars.toString()), Map.of());
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"action\":\"RENDERED\"", "{\"batchItemFailures\":[]}");
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/C++ tips für Café/index.html")).contentLength())
                .isPositive();
    }

    @Test
    void eventsGivenTogetherRunOneAfterAnotherInOneWarmEnvironment() throws Exception {
        upload("posts/ai-art.md");

        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-put.json", "--event", "events/s3-put.json",
                "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        String output = result.output();
        // one init, one priming, one restore: the second event finds the environment warm
        assertThat(output.split("INIT_REPORT", -1)).as(output).hasSize(2);
        assertThat(output.split("\"message\":\"primed:", -1)).as(output).hasSize(2);
        assertThat(output.split("\tRestore Duration: ", -1)).as(output).hasSize(2);
        assertThat(output).containsPattern("REPORT RequestId: \\S+\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms"
                + "\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\n");
        List<String> requestIds = output.lines().filter(line -> line.startsWith("REPORT RequestId: "))
                .map(line -> line.split("\t")[0]).toList();
        assertThat(requestIds).hasSize(2).doesNotHaveDuplicates();
        assertThat(output.lines().filter(line -> line.contains("\"key\":\"posts/ai-art.md\"")).count()).as(output)
                .isEqualTo(2);
    }

    @Test
    void aBatchOfEightCameraPhotosGetsItsVariantsWithinTheFunctionsMemory() throws Exception {
        // 24 megapixels each, as phones take them: 100 MB of pixels apiece once decoded
        Path photo = work.resolve("photo.jpg");
        TestImages.main(new String[] {photo.toString(), "6000", "4000"});
        byte[] bytes = Files.readAllBytes(photo);
        S3Events batch = S3Events.event();
        for (int i = 1; i <= 8; i++) {
            String key = "img/photo-" + i + ".jpg";
            s3.putObject(b -> b.bucket("source").key(key), RequestBody.fromBytes(bytes));
            batch.put("source", key, bytes.length, ETags.of(bytes), "00" + i);
        }
        Path event = Files.writeString(work.resolve("photos.json"), batch.sqs());

        Cli.Result result = CliRun.invoke(List.of("--event", event.toString(), "--env-vars", envVars.toString()), Map.of());

        assertThat(result.output()).contains("{\"batchItemFailures\":[]}", "Memory Size: 512 MB")
                .doesNotContain("OutOfMemory");
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket("site").prefix("_img/")).contents())
                .as("three variants of each photo").hasSize(24);
    }

    @Test
    void theSampleDeleteEventRemovesThePage() throws Exception {
        upload("posts/ai-art.md");
        assertThat(CliRun.invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()), Map.of())
                .status()).isZero();
        s3.deleteObject(b -> b.bucket("source").key("posts/ai-art.md"));

        Cli.Result result = CliRun.invoke(List.of("--event", "events/s3-delete.json", "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"action\":\"DELETED\"");
        assertThat(s3.listObjectsV2(b -> b.bucket("site").prefix("posts/ai-art/")).contents()).isEmpty();
    }

    private static void upload(String key) throws IOException {
        s3.putObject(b -> b.bucket("source").key(key),
                RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site").resolve(key))));
    }
}
