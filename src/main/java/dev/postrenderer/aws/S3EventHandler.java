package dev.postrenderer.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.SourceEvent;
import dev.postrenderer.publish.SiteRenderers;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.crac.Core;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Lambda entry point for S3 event notifications from the source bucket.
 *
 * <p>Every record is handled, each on its own: a bad post (invalid front matter, too large, a
 * key that cannot be decoded) is a permanent failure, logged with its key and reason, counted
 * in the {@code PermanentFailures} metric and not retried; an S3 error or timeout is transient:
 * after the other records are done the handler throws, so Lambda retries the event and finally
 * sends it to the on-failure destination. It returns the count of records, handled and
 * rejected. The handler holds no logic of its own beyond that.
 */
public final class S3EventHandler implements RequestHandler<S3Event, Map<String, Integer>> {

    private final S3Client s3;
    private final SiteConfig config;
    private final S3ObjectStore site;
    private final RecordLog log;
    private final Map<String, SiteRenderers> renderers = new ConcurrentHashMap<>();

    private final Priming priming;

    /**
     * For the Lambda runtime: configuration from the environment, one S3 client for the life of
     * the process, and priming: before the SnapStart snapshot, or else right now, in the init
     * phase, where Lambda gives the function a full vCPU.
     */
    public S3EventHandler() {
        this(System.getenv(), new PrimingGuard());
    }

    private S3EventHandler(Map<String, String> env, PrimingGuard guard) {
        this(S3Clients.fromEnvironment(env, guard), SiteConfig.fromEnvironment(env), System.out,
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "post-renderer"), guard);
        Core.getGlobalContext().register(priming);
        if (!"snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            priming.prime();
        }
    }

    /** For tests and local runs: explicit collaborators. */
    public S3EventHandler(S3Client s3, SiteConfig config, PrintStream out, String functionName) {
        this(s3, config, out, functionName, new PrimingGuard());
    }

    /** For tests of priming: the guard must be one of the client's interceptors. */
    S3EventHandler(S3Client s3, SiteConfig config, PrintStream out, String functionName, PrimingGuard guard) {
        this.s3 = Objects.requireNonNull(s3, "s3 == null");
        this.config = Objects.requireNonNull(config, "config == null");
        String siteBucket = config.siteBucket().orElseThrow(() ->
                new IllegalStateException("SITE_BUCKET must name the bucket that receives the pages"));
        this.site = new S3ObjectStore(s3, siteBucket);
        this.log = new RecordLog(out, Clock.systemUTC(), functionName);
        this.priming = new Priming(config, new SiteRenderers(config.render(), site), site, guard);
    }

    /** The priming this handler registers with SnapStart. */
    Priming priming() {
        return priming;
    }

    @Override
    public Map<String, Integer> handleRequest(S3Event event, Context context) {
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        if (records.isEmpty()) {
            log.noRecords();
        }
        int handled = 0;
        int rejected = 0;
        List<String> retry = new ArrayList<>();
        RuntimeException firstFailure = null;
        for (S3EventNotificationRecord record : records) {
            long started = System.nanoTime();
            String eventName = String.valueOf(record.getEventName());
            String rawKey = record.getS3().getObject().getKey();
            String key = SourceKey.printable(rawKey);
            try {
                SourceEvent change = sourceEvent(record);
                key = SourceKey.printable(change.key());
                PublishResult result = publish(record, eventName, change);
                log.handled(key, eventName, result.action().name(), result.siteKey().orElse(null), millis(started));
                handled++;
            } catch (InvalidPostException e) {
                log.permanentFailure(key, eventName, e.problem(), millis(started));
                rejected++;
            } catch (RuntimeException e) {
                // S3 errors and timeouts, and anything unforeseen: retried, then kept by the failure destination
                log.transientFailure(key, eventName, String.valueOf(e), millis(started));
                retry.add(key);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (!retry.isEmpty()) {
            throw new TransientFailureException(retry, firstFailure);
        }
        Map<String, Integer> summary = new LinkedHashMap<>();
        summary.put("records", records.size());
        summary.put("handled", handled);
        summary.put("rejected", rejected);
        return summary;
    }

    private PublishResult publish(S3EventNotificationRecord record, String eventName, SourceEvent change) {
        S3ObjectStore source = new S3ObjectStore(s3, record.getS3().getBucket().getName());
        // renderers hold the custom layouts of their source bucket, loaded once per change of them
        SiteRenderers layouts = renderers.computeIfAbsent(source.bucket(), bucket -> new SiteRenderers(config.render(), source));
        Publisher publisher = new Publisher(source, site, layouts, config);
        if (eventName.startsWith("ObjectRemoved") || eventName.startsWith("LifecycleExpiration")) {
            return publisher.removed(change);
        }
        if (eventName.startsWith("ObjectCreated")) {
            return publisher.created(change);
        }
        return new PublishResult(change.key(), PublishResult.Action.IGNORED, Optional.empty());
    }

    /** The record's change, its key decoded exactly once (S3 sends keys form-encoded: {@code +} is a space). */
    private static SourceEvent sourceEvent(S3EventNotificationRecord record) {
        S3ObjectEntity object = record.getS3().getObject();
        String key;
        try {
            key = object.getUrlDecodedKey();
        } catch (IllegalArgumentException e) {
            throw new InvalidPostException(SourceKey.printable(object.getKey()),
                    "the key in the event cannot be URL-decoded: " + e.getMessage(), e);
        }
        Long size = object.getSizeAsLong();
        return new SourceEvent(key, size == null ? OptionalLong.empty() : OptionalLong.of(size),
                Optional.ofNullable(object.geteTag()).filter(etag -> !etag.isEmpty()),
                Optional.ofNullable(object.getSequencer()).filter(sequencer -> !sequencer.isEmpty()));
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
