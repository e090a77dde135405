package dev.postrenderer.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3BatchEvent;
import com.amazonaws.services.lambda.runtime.events.S3BatchResponse;
import com.amazonaws.services.lambda.runtime.events.S3BatchResponse.ResultCode;
import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.SiteRenderers;
import dev.postrenderer.publish.BatchResult;
import dev.postrenderer.publish.Deadline;
import dev.postrenderer.publish.SourceChange;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Lambda entry point for S3 Batch Operations: re-renders every object a job's manifest lists
 * (after a layout change, a settings change or a release) and answers per task: {@code Succeeded},
 * {@code PermanentFailure} for a post that can never be published as it is, or
 * {@code TemporaryFailure} when S3 failed, which Batch Operations retries. The tasks of one
 * invocation are one batch for {@link Publisher}, the same path an upload takes.
 */
public final class S3BatchHandler implements RequestHandler<S3BatchEvent, S3BatchResponse> {

    private final S3Client s3;
    private final SiteConfig config;
    private final S3ObjectStore site;
    private final RecordLog log;
    private final Map<String, SiteRenderers> renderers = new ConcurrentHashMap<>();

    /** For the Lambda runtime: configuration from the environment. */
    public S3BatchHandler() {
        this(S3Clients.fromEnvironment(System.getenv()), SiteConfig.fromEnvironment(System.getenv()), System.out,
                System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "post-renderer-rerender"));
    }

    /** For tests and local runs: explicit collaborators. */
    public S3BatchHandler(S3Client s3, SiteConfig config, PrintStream out, String functionName) {
        this.s3 = Objects.requireNonNull(s3, "s3 == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.site = new S3ObjectStore(s3, config.siteBucket().orElseThrow(() ->
                new IllegalStateException("SITE_BUCKET must name the bucket that receives the pages")));
        this.log = new RecordLog(out, Clock.systemUTC(), functionName);
    }

    @Override
    public S3BatchResponse handleRequest(S3BatchEvent event, Context context) {
        long started = System.nanoTime();
        // every task of the invocation is one batch for the publisher, per source bucket
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, List<SourceChange>> byBucket = new LinkedHashMap<>();
        for (S3BatchEvent.Task task : event.getTasks()) {
            try {
                String key = decode(task.getS3Key());
                String bucket = task.getS3BucketArn().substring(task.getS3BucketArn().lastIndexOf(':') + 1);
                keys.put(task.getTaskId(), key);
                byBucket.computeIfAbsent(bucket, b -> new ArrayList<>()).add(SourceChange.created(key));
            } catch (InvalidPostException e) {
                problems.put(task.getTaskId(), e.problem());
            }
        }
        Map<String, PublishResult> done = new HashMap<>();
        Map<String, String> rejected = new HashMap<>();
        Map<String, RuntimeException> failed = new HashMap<>();
        byBucket.forEach((bucket, changes) -> {
            S3ObjectStore source = new S3ObjectStore(s3, bucket);
            SiteRenderers layouts = renderers.computeIfAbsent(bucket, b -> new SiteRenderers(config.render(), source));
            BatchResult result = new Publisher(source, site, layouts, config, Clock.systemUTC()).apply(changes,
                    context == null ? Deadline.NONE : Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis())));
            result.done().forEach(item -> done.put(item.key(), item));
            result.rejected().forEach(item -> rejected.put(item.key(), item.problem()));
            result.failed().forEach(item -> failed.put(item.key(), item.error()));
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<S3BatchResponse.Result> results = new ArrayList<>();
        for (S3BatchEvent.Task task : event.getTasks()) {
            String key = keys.get(task.getTaskId());
            results.add(key == null ? refused(task, problems.get(task.getTaskId()), millis)
                    : result(task, key, new Outcome(done.get(key), rejected.get(key), failed.get(key)), millis));
        }
        return S3BatchResponse.builder()
                .withInvocationSchemaVersion(event.getInvocationSchemaVersion())
                .withInvocationId(event.getInvocationId())
                .withTreatMissingKeysAs(ResultCode.PermanentFailure)
                .withResults(results)
                .build();
    }

    /** What became of a task's key: done, rejected or failed (one of them, or none of them for a key nothing was done with). */
    private record Outcome(PublishResult done, String rejected, RuntimeException failed) {
    }

    private S3BatchResponse.Result refused(S3BatchEvent.Task task, String problem, long millis) {
        log.permanentFailure(SourceKey.printable(String.valueOf(task.getS3Key())), "BatchOperations", problem, millis);
        return result(task.getTaskId(), ResultCode.PermanentFailure, problem);
    }

    private S3BatchResponse.Result result(S3BatchEvent.Task task, String key, Outcome outcome, long millis) {
        String printable = SourceKey.printable(key);
        if (outcome.failed() != null) {
            log.transientFailure(printable, "BatchOperations", String.valueOf(outcome.failed()), millis);
            return result(task.getTaskId(), ResultCode.TemporaryFailure, String.valueOf(outcome.failed().getMessage()));
        }
        if (outcome.rejected() != null) {
            log.permanentFailure(printable, "BatchOperations", outcome.rejected(), millis);
            return result(task.getTaskId(), ResultCode.PermanentFailure, key + ": " + outcome.rejected());
        }
        PublishResult done = outcome.done();
        String action = done == null ? "NONE" : done.action().name();
        log.handled(printable, "BatchOperations", action, done == null ? null : done.siteKey().orElse(null), millis);
        return result(task.getTaskId(), ResultCode.Succeeded, action);
    }

    private static S3BatchResponse.Result result(String taskId, ResultCode code, String message) {
        return S3BatchResponse.Result.builder().withTaskId(taskId).withResultCode(code)
                .withResultString(message.length() > 1_000 ? message.substring(0, 1_000) : message).build();
    }

    /** Manifest keys are URL-encoded (the {@code rerender} command writes them so). */
    private static String decode(String key) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidPostException(SourceKey.printable(key), "the key in the task cannot be URL-decoded: "
                    + e.getMessage(), e);
        }
    }

}
