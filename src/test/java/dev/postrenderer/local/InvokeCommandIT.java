package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.testing.Cli;
import dev.postrenderer.testing.S3AccessLog;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import dev.postrenderer.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    static void theBucketsTheSampleEventsName() throws IOException {
        for (String bucket : List.of("source", "site")) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
        envVars = Files.writeString(work.resolve("env.json"), Files.readString(Path.of("events/env.json"))
                .replace("http://127.0.0.1:9090", S3.endpoint().toString()));
    }

    /** Each test starts from empty buckets, so that none sees the state another left (its fences, its pages). */
    @BeforeEach
    void emptyBuckets() {
        for (String bucket : List.of("source", "site")) {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                    .forEach(object -> s3.deleteObject(b -> b.bucket(bucket).key(object.key())));
        }
    }

    @Test
    void theSamplePutEventPublishesTheSeedPostAsTheRestoredSnapStartVersionAndPrintsItsReport() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()), Map.of());

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
        String page = s3.getObjectAsBytes(b -> b.bucket("site").key("posts/ai-art/index.html")).asUtf8String();
        assertThat(page).contains("<title>The Cutting-Edge Technology Behind AI Art</title>")
                .contains("<link rel=\"canonical\" href=\"https://blog.example.com/posts/ai-art/\">");
    }

    @Test
    void primingRunsInTheBeforeCheckpointHookBeforeTheRestoredInvocation() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        String output = result.output();
        int primed = output.indexOf("\"message\":\"primed:");
        assertThat(primed).as(output).isNotNegative();
        // on Lambda the snapshot is taken between the two: priming's line comes before the invocation's
        assertThat(primed).as(output).isLessThan(output.indexOf("\"key\":\"posts/ai-art.md\""));
        assertThat(output).contains("8 S3 requests stopped before the network");
    }

    @Test
    void onDemandRunsLatestAsSamLocalInvokeDoesWithItsInitDurationReport() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke(List.of("--on-demand", "--event", "events/s3-put.json", "--env-vars",
                envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("invoke: on demand ($LATEST, as sam local invoke runs it)")
                .contains("\"action\":\"RENDERED\"").doesNotContain("\"message\":\"primed:")
                .containsPattern("REPORT RequestId: \\S+\\tInit Duration: \\d+\\.\\d\\d ms\\tDuration: \\d+\\.\\d\\d ms"
                        + "\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB");
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/ai-art/index.html")).contentLength()).isPositive();
    }

    @Test
    void aSnapStartFunctionSignsItsRequestsWithTheCredentialsTheEndpointServes() throws Exception {
        upload("posts/ai-art.md");
        long mark = S3.accessLog().mark();

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAFROMTHEENDPOINT", "AWS_SECRET_ACCESS_KEY", "endpoint-secret"));

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("container-credentials endpoint served credentials [1-9]\\d* time");
        List<S3AccessLog.Entry> writes = S3.accessLog().since(mark, "site").stream()
                .filter(entry -> entry.method().equals("PUT")).toList();
        assertThat(writes).as("the page, the state and the pages around it").hasSizeGreaterThan(2);
        // the function's environment holds no access key (below), so these came from the endpoint
        assertThat(writes).allSatisfy(entry -> assertThat(entry.accessKeyId()).contains("AKIAFROMTHEENDPOINT"));
    }

    @Test
    void onDemandTheFunctionSignsItsRequestsWithTheCredentialsInItsEnvironment() throws Exception {
        upload("posts/ai-art.md");
        long mark = S3.accessLog().mark();

        Result result = invoke(List.of("--on-demand", "--event", "events/s3-put.json", "--env-vars",
                envVars.toString()), Map.of("AWS_ACCESS_KEY_ID", "AKIAFROMTHEENVIRONMENT", "AWS_SECRET_ACCESS_KEY", "s"));

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(S3.accessLog().since(mark, "site")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.accessKeyId()).contains("AKIAFROMTHEENVIRONMENT"));
    }

    @Test
    void theSampleSqsEventPublishesTheSeedPostAsTheQueueDeliversIt() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke(List.of("--event", "events/sqs-s3-put.json", "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"key\":\"posts/ai-art.md\"", "{\"batchItemFailures\":[]}");
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/ai-art/index.html")).contentLength()).isPositive();
    }

    @Test
    void anEventMadeByTheEventCommandIsWhatS3SendsAndItsSqsFormIsHandled() throws Exception {
        String key = "posts/C++ tips für Café.md";
        Path file = Path.of("examples/site").resolve(key);
        upload(key);

        Result event = cli(List.of("event", "put", "--bucket", "source", "--key", key, "--file", file.toString()),
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

        Result sqs = cli(List.of("event", "put", "--bucket", "source", "--key", key, "--file", file.toString(), "--sqs"),
                Map.of());
        Path batch = Files.writeString(work.resolve("sqs-event.json"), sqs.output());
        Result result = invoke(List.of("--event", batch.toString(), "--env-vars", envVars.toString()), Map.of());
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"action\":\"RENDERED\"", "{\"batchItemFailures\":[]}");
        assertThat(s3.headObject(b -> b.bucket("site").key("posts/C++ tips für Café/index.html")).contentLength())
                .isPositive();
    }

    @Test
    void eventsGivenTogetherRunOneAfterAnotherInOneWarmEnvironment() throws Exception {
        upload("posts/ai-art.md");

        Result result = invoke(List.of("--event", "events/s3-put.json", "--event", "events/s3-put.json",
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

        Result result = invoke(List.of("--event", event.toString(), "--env-vars", envVars.toString()), Map.of());

        assertThat(result.output()).contains("{\"batchItemFailures\":[]}", "Memory Size: 512 MB")
                .doesNotContain("OutOfMemory");
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket("site").prefix("_img/")).contents())
                .as("three variants of each photo").hasSize(24);
    }

    @Test
    void theSampleDeleteEventRemovesThePage() throws Exception {
        upload("posts/ai-art.md");
        assertThat(invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString()), Map.of())
                .status()).isZero();
        s3.deleteObject(b -> b.bucket("source").key("posts/ai-art.md"));

        Result result = invoke(List.of("--event", "events/s3-delete.json", "--env-vars", envVars.toString()), Map.of());

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"action\":\"DELETED\"");
        assertThat(s3.listObjectsV2(b -> b.bucket("site").prefix("posts/ai-art/")).contents()).isEmpty();
    }

    @Test
    void aFailingFunctionPrintsItsErrorAndExitsWithOne() throws Exception {
        Path unreachable = Files.writeString(work.resolve("unreachable.json"),
                "{\"PublishFunction\": {\"SITE_BUCKET\": \"site\", \"S3_ENDPOINT\": \"http://127.0.0.1:9\"}}");

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", unreachable.toString()), Map.of());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("transient_failure", "TransientFailureException", "REPORT RequestId:");
    }

    @Test
    void aWrongHandlerInACopiedTemplateFailsInvokeNamingIt() throws Exception {
        Path template = Files.writeString(work.resolve("wrong-handler.yaml"), Files.readString(Path.of("template.yaml"))
                .replace("Handler: dev.postrenderer.aws.PublishHandler::handleRequest",
                        "Handler: dev.postrenderer.aws.PublishHandlr::handleRequest"));

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", envVars.toString(),
                "--template", template.toString()), Map.of());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("dev.postrenderer.aws.PublishHandlr");
    }

    @Test
    void aSnapStartFunctionGetsContainerCredentialsAndNoAccessKeysNorAnyOtherHostVariable() throws Exception {
        Result result = invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env"),
                Map.of("POST_RENDERER_PROBE", "leaked", "AWS_ACCESS_KEY_ID", "AKIAHOST", "AWS_SECRET_ACCESS_KEY", "s",
                        "AWS_SESSION_TOKEN", "t", "AWS_REGION", "eu-west-1"));

        Map<String, String> env = environment(result.output());
        assertThat(env).doesNotContainKeys("POST_RENDERER_PROBE", "HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN");
        assertThat(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")).matches("http://127\\.0\\.0\\.1:\\d+/\\S+");
        assertThat(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")).hasSizeGreaterThan(20);
        assertThat(env).containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "1").containsEntry("AWS_REGION", "eu-west-1");
        templateVariables(env);
        // SITE_URL names the distribution, which only the deployed stack has: blank, as sam leaves it, and said so
        assertThat(result.output()).containsPattern("note: SITE_BUCKET, SITE_URL are blank here, as sam local invoke"
                + " leaves them");
    }

    @Test
    void onDemandTheFunctionGetsTheHostsCredentialsAsVariablesAndNoOtherHostVariable() throws Exception {
        Result result = invoke(List.of("--on-demand", "--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of("POST_RENDERER_PROBE", "leaked", "AWS_ACCESS_KEY_ID", "AKIAHOST",
                "AWS_REGION", "eu-west-1"));

        Map<String, String> env = environment(result.output());
        assertThat(env).doesNotContainKeys("POST_RENDERER_PROBE", "HOME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        assertThat(env).containsEntry("AWS_ACCESS_KEY_ID", "AKIAHOST").containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        templateVariables(env);
    }

    @Test
    void eachInvocationHasATemporaryFolderOfItsOwnApartFromItsTaskFolder() throws Exception {
        Map<String, String> first = environment(invoke(List.of("--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of()).output());
        Map<String, String> second = environment(invoke(List.of("--event", "events/s3-put.json", "--runtime-command",
                "/usr/bin/env"), Map.of()).output());

        assertThat(first.get("TMPDIR")).isNotBlank().isNotEqualTo(second.get("TMPDIR"))
                .doesNotStartWith(first.get("LAMBDA_TASK_ROOT"));
        assertThat(Path.of(first.get("TMPDIR"))).as("removed with its invocation").doesNotExist();
    }

    private static void templateVariables(Map<String, String> env) {
        assertThat(env).containsEntry("RAW_HTML", "sanitize").containsEntry("MAX_POST_BYTES", "524288")
                .containsEntry("CACHE_CONTROL", "public, max-age=300").containsEntry("S3_ENDPOINT", "")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("AWS_LAMBDA_FUNCTION_HANDLER", "dev.postrenderer.aws.PublishHandler::handleRequest")
                .containsEntry("SITE_URL", "");
    }

    @Test
    void aDeclaredVariableSetInTheShellIsTakenAsSamLocalInvokeTakesIt() throws Exception {
        // samcli/local/lambdafn/env_vars.py resolve(): template value < shell value < --env-vars
        Result result = invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env"),
                Map.of("RAW_HTML", "escape"));
        assertThat(environment(result.output())).containsEntry("RAW_HTML", "escape");

        Path file = Files.writeString(work.resolve("raw-html.json"), "{\"PublishFunction\": {\"RAW_HTML\": \"allow\"}}");
        Result overridden = invoke(List.of("--event", "events/s3-put.json", "--env-vars", file.toString(),
                "--runtime-command", "/usr/bin/env"), Map.of("RAW_HTML", "escape"));
        assertThat(environment(overridden.output())).containsEntry("RAW_HTML", "allow");
    }

    @Test
    void anEnvVarsKeyTheTemplateDoesNotDeclareIsReportedAndIgnored() throws Exception {
        Path file = Files.writeString(work.resolve("undeclared.json"),
                "{\"Parameters\": {\"FEATURE_FLAG\": \"on\"}, \"PublishFunction\": {\"NOT_DECLARED\": \"x\","
                        + " \"SITE_NAME\": \"From env-vars\"}}");

        Result result = invoke(List.of("--event", "events/s3-put.json", "--env-vars", file.toString(),
                "--runtime-command", "/usr/bin/env"), Map.of());

        assertThat(result.output()).contains("warning: --env-vars sets FEATURE_FLAG, NOT_DECLARED, which PublishFunction"
                + " does not declare in the template; ignored");
        assertThat(environment(result.output())).doesNotContainKeys("NOT_DECLARED", "FEATURE_FLAG")
                .containsEntry("SITE_NAME", "From env-vars");
    }

    @Test
    void refsResolveFromParameterOverridesAndDefaults() throws Exception {
        Result result = invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env",
                "--parameter-overrides", "SiteBucketName=my-site SiteUrl=https://blog.example.org",
                "--parameter-overrides", "ParameterKey=SiteName,ParameterValue=\"My Blog\""), Map.of());

        assertThat(environment(result.output())).containsEntry("SITE_BUCKET", "my-site")
                .containsEntry("SITE_URL", "https://blog.example.org").containsEntry("SITE_NAME", "My Blog");

        Result domain = invoke(List.of("--event", "events/s3-put.json", "--runtime-command", "/usr/bin/env",
                "--parameter-overrides", "DomainName=blog.example.net CertificateArn="
                        + "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"), Map.of());
        assertThat(environment(domain.output())).containsEntry("SITE_URL", "https://blog.example.net")
                .containsEntry("SITE_BUCKET", "");

        Result unknown = invoke(List.of("--event", "events/s3-put.json", "--parameter-overrides", "NoSuchParameter=1"),
                Map.of());
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.output()).contains("NoSuchParameter", "does not declare");
    }

    /** The {@code NAME=value} lines {@code /usr/bin/env}, run as the function's runtime, printed. */
    private static Map<String, String> environment(String output) {
        Map<String, String> env = new java.util.TreeMap<>();
        output.lines().filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).forEach(line -> {
            int equals = line.indexOf('=');
            env.put(line.substring(0, equals), line.substring(equals + 1));
        });
        assertThat(env).as(output).containsKey("AWS_LAMBDA_RUNTIME_API");
        return env;
    }

    private static void upload(String key) throws IOException {
        s3.putObject(b -> b.bucket("source").key(key),
                RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site").resolve(key))));
    }

    private static Result invoke(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        List<String> command = new ArrayList<>(List.of("invoke"));
        command.addAll(arguments);
        return cli(command, hostEnv);
    }

    /** Runs the packaged CLI, its output read by a thread of its own so that the timeout holds. */
    private static Result cli(List<String> arguments, Map<String, String> hostEnv) throws Exception {
        ProcessBuilder builder = Cli.builder(arguments);
        for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                "AWS_DEFAULT_REGION", "RAW_HTML", "SITE_URL", "S3_ENDPOINT")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(hostEnv);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "cli-output");
        reader.start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(ended).as("the command ended within 180 s; it printed: " + output.toString(UTF_8)).isTrue();
        return new Result(process.exitValue(), output.toString(UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int status, String output) {
    }
}
