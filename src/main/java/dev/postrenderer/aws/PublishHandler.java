package dev.postrenderer.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.BatchResult;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.Deadline;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.PublishResult;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.SiteRenderers;
import dev.postrenderer.publish.SourceChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.crac.Core;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Lambda entry point for uploads: reads an SQS batch of S3 notifications (or a plain S3
 * event), hands every record of the invocation to {@link Publisher} as one batch per source
 * bucket, logs one JSON line per record, and answers {@code {"batchItemFailures": [...]}} naming
 * the messages whose records failed in a way worth retrying. A post that can never be published
 * as it is (bad front matter, too large, a key that cannot be decoded) is a permanent failure:
 * logged with its key and reason, counted in the {@code PermanentFailures} metric, never retried.
 * For a plain S3 event, which has no messages to name, the handler throws after every record was
 * tried, so that Lambda retries the event. The handler holds no logic of its own beyond that.
 */
public final class PublishHandler implements RequestStreamHandler {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Function<String, ObjectStore> buckets;
    private final SiteConfig config;
    private final ObjectStore site;
    private final RecordLog log;
    private final Clock clock;
    private final Map<String, SiteRenderers> renderers = new ConcurrentHashMap<>();
    private final Priming priming;

    /**
     * For the Lambda runtime: configuration from the environment, one S3 client for the life of
     * the process, and priming before the SnapStart snapshot.
     */
    public PublishHandler() {
        this(System.getenv(), new PrimingGuard());
    }

    private PublishHandler(Map<String, String> env, PrimingGuard guard) {
        this(S3Clients.fromEnvironment(env, guard), SiteConfig.fromEnvironment(env), System.out,
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "post-renderer"), guard);
        Core.getGlobalContext().register(priming);
    }

    /** For tests and local runs: explicit collaborators. */
    public PublishHandler(S3Client s3, SiteConfig config, PrintStream out, String functionName) {
        this(s3, config, out, functionName, new PrimingGuard());
    }

    /** For tests of priming: the guard must be one of the client's interceptors. */
    PublishHandler(S3Client s3, SiteConfig config, PrintStream out, String functionName, PrimingGuard guard) {
        this(bucket -> new S3ObjectStore(s3, bucket), config, out, functionName, guard);
    }

    /** For tests: the buckets as stores, by name (an in-memory bucket keeps S3's contract, and is fast). */
    public PublishHandler(Function<String, ObjectStore> buckets, SiteConfig config, PrintStream out,
                          String functionName) {
        this(buckets, config, out, functionName, new PrimingGuard());
    }

    private PublishHandler(Function<String, ObjectStore> buckets, SiteConfig config, PrintStream out,
                           String functionName, PrimingGuard guard) {
        this.buckets = Objects.requireNonNull(buckets, "buckets == null");
        this.config = Objects.requireNonNull(config, "config == null");
        String siteBucket = config.siteBucket().orElseThrow(() ->
                new IllegalStateException("SITE_BUCKET must name the bucket that receives the pages"));
        this.site = buckets.apply(siteBucket);
        this.clock = Clock.systemUTC();
        this.log = new RecordLog(out, clock, functionName);
        this.priming = new Priming(config, new SiteRenderers(config.render(), site), site, guard, log);
    }

    /** The priming this handler registers with SnapStart. */
    Priming priming() {
        return priming;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // the batch keeps inside the function's timeout, and reports what it did not get to for a retry
        Deadline deadline = context == null ? Deadline.NONE
                : Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis()));
        Notifications.Batch batch;
        try {
            batch = Notifications.read(input.readAllBytes());
        } catch (IllegalArgumentException e) {
            // neither an SQS batch nor an S3 event: no retry can change that
            log.permanentFailure("-", "unreadable", "the event is not an SQS batch or an S3 event: " + e.getMessage(), 0);
            respond(output, List.of());
            return;
        }
        if (batch.notices().isEmpty() && batch.unreadable().isEmpty()) {
            log.noRecords();
        }
        for (Notifications.Unreadable record : batch.unreadable()) {
            log.permanentFailure("-", record.message().map(message -> "sqs:" + message.getMessageId())
                    .orElse("unreadable"), record.problem(), 0);
        }
        Failures failures = new Failures();
        Map<String, List<Notifications.Notice>> byBucket = new LinkedHashMap<>();
        batch.notices().forEach(notice -> byBucket.computeIfAbsent(notice.record().getS3().getBucket().getName(),
                bucket -> new ArrayList<>()).add(notice));
        byBucket.forEach((bucket, notices) -> {
            long started = System.nanoTime();
            Map<Notifications.Notice, SourceChange> changes = changes(notices);
            BatchResult result = publisher(bucket).apply(new ArrayList<>(changes.values()), deadline);
            result.warnings().forEach(log::warning);
            report(changes, result, (System.nanoTime() - started) / 1_000_000, failures);
        });
        if (!batch.fromQueue() && !failures.keys.isEmpty()) {
            throw new TransientFailureException(failures.keys, failures.first);
        }
        respond(output, new ArrayList<>(failures.messages));
    }

    /** The records whose change failed in a way worth retrying: their SQS messages, keys and first error. */
    private static final class Failures {
        final Set<String> messages = new LinkedHashSet<>();
        final List<String> keys = new ArrayList<>();
        RuntimeException first;
    }

    /** The change each record of one bucket makes; records of other kinds are logged as ignored, bad keys as refused. */
    private Map<Notifications.Notice, SourceChange> changes(List<Notifications.Notice> notices) {
        Map<Notifications.Notice, SourceChange> changes = new LinkedHashMap<>();
        for (Notifications.Notice notice : notices) {
            String eventName = String.valueOf(notice.record().getEventName());
            try {
                SourceChange change = change(notice.record());
                if (eventName.startsWith("ObjectCreated") || eventName.startsWith("ObjectRemoved")
                        || eventName.startsWith("LifecycleExpiration")) {
                    changes.put(notice, change);
                } else {
                    log.handled(SourceKey.printable(change.key()), eventName, "IGNORED", null, 0);
                }
            } catch (IllegalArgumentException e) {
                log.permanentFailure(SourceKey.printable(String.valueOf(notice.record().getS3().getObject()
                        .getKey())), eventName, "the key in the event cannot be URL-decoded: " + e.getMessage(), 0);
            }
        }
        return changes;
    }

    /** One log line per record, and the records to retry. */
    private void report(Map<Notifications.Notice, SourceChange> changes, BatchResult result, long millis,
                        Failures failures) {
        Map<String, PublishResult> done = new HashMap<>();
        result.done().forEach(item -> done.put(item.key(), item));
        Map<String, String> rejected = new HashMap<>();
        result.rejected().forEach(item -> rejected.put(item.key(), item.problem()));
        Map<String, RuntimeException> failed = new HashMap<>();
        result.failed().forEach(item -> failed.put(item.key(), item.error()));
        for (Map.Entry<Notifications.Notice, SourceChange> entry : changes.entrySet()) {
            String key = entry.getValue().key();
            String printable = SourceKey.printable(key);
            String eventName = String.valueOf(entry.getKey().record().getEventName());
            if (failed.containsKey(key)) {
                log.transientFailure(printable, eventName, String.valueOf(failed.get(key)), millis);
                entry.getKey().message().map(SQSEvent.SQSMessage::getMessageId).ifPresent(failures.messages::add);
                failures.keys.add(printable);
                failures.first = failures.first == null ? failed.get(key) : failures.first;
            } else if (rejected.containsKey(key)) {
                log.permanentFailure(printable, eventName, rejected.get(key), millis);
            } else {
                Optional<PublishResult> outcome = Optional.ofNullable(done.get(key));
                log.handled(printable, eventName, outcome.map(item -> item.action().name()).orElse("NONE"),
                        outcome.flatMap(PublishResult::siteKey).orElse(null), millis);
            }
        }
        // keys outside the batch whose page a key of it took over: their authors hear it too
        Set<String> inBatch = new HashSet<>();
        changes.values().forEach(change -> inBatch.add(change.key()));
        result.rejected().stream().filter(item -> !inBatch.contains(item.key())).forEach(item ->
                log.permanentFailure(SourceKey.printable(item.key()), "superseded", item.problem(), millis));
    }

    private Publisher publisher(String bucket) {
        ObjectStore source = buckets.apply(bucket);
        // renderers hold the custom layouts of their source bucket, loaded once per change of them
        SiteRenderers layouts = renderers.computeIfAbsent(bucket, name -> new SiteRenderers(config.render(), source));
        return new Publisher(source, site, layouts, config, clock);
    }

    /** The record's change, its key decoded exactly once (S3 sends keys form-encoded: {@code +} is a space). */
    private static SourceChange change(S3EventNotificationRecord record) {
        var object = record.getS3().getObject();
        String key = object.getUrlDecodedKey();
        String eventName = String.valueOf(record.getEventName());
        boolean removed = eventName.startsWith("ObjectRemoved") || eventName.startsWith("LifecycleExpiration");
        Long size = object.getSizeAsLong();
        return new SourceChange(key, removed, size == null ? OptionalLong.empty() : OptionalLong.of(size),
                Optional.ofNullable(object.geteTag()).filter(etag -> !etag.isEmpty()),
                Optional.ofNullable(object.getSequencer()).filter(sequencer -> !sequencer.isEmpty()));
    }

    private static void respond(OutputStream output, List<String> failedMessages) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(output)) {
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            for (String id : failedMessages) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", id);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
