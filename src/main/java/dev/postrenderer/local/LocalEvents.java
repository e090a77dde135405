package dev.postrenderer.local;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import dev.postrenderer.publish.ETags;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The S3 event notifications S3 would send for changes to a local bucket, as JSON in the shape
 * of {@code events/s3-put.json}, and the SQS batch Lambda builds from them when S3 notifies a
 * queue, in the shape of {@code events/sqs-s3-put.json}.
 */
final class LocalEvents {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private LocalEvents() {
    }

    /**
     * One change to one object, as a notification describes it.
     *
     * @param size the object's size, or -1 for a removal (S3 sends none)
     * @param etag the object's entity tag, or null for a removal
     */
    record Change(String bucket, String eventName, String key, long size, String etag, String sequencer) {

        /** An {@code ObjectCreated:Put}. */
        static Change put(String bucket, String key, long size, String etag, String sequencer) {
            return new Change(bucket, "ObjectCreated:Put", key, size, etag, sequencer);
        }

        /** An {@code ObjectRemoved:Delete}. */
        static Change delete(String bucket, String key, String sequencer) {
            return new Change(bucket, "ObjectRemoved:Delete", key, -1, null, sequencer);
        }
    }

    /** An {@code ObjectCreated:Put} notification. */
    static String put(String bucket, String key, long size, String etag, String sequencer) {
        return event(Change.put(bucket, key, size, etag, sequencer), "us-east-1", false);
    }

    /** An {@code ObjectRemoved:Delete} notification. */
    static String delete(String bucket, String key, String sequencer) {
        return event(Change.delete(bucket, key, sequencer), "us-east-1", false);
    }

    /** A notification as S3 sends it from {@code region}, indented for a reader if {@code pretty}. */
    static String notification(Change change, String region, boolean pretty) {
        return event(change, region, pretty);
    }

    /**
     * The SQS batch Lambda hands the function when S3 notifies a queue: one message per
     * notification, its body the notification's JSON.
     *
     * @param queueArn the queue the messages come from
     */
    static String sqs(List<String> notifications, String queueArn) {
        return sqs(notifications, queueArn, false);
    }

    /** The SQS batch, indented for a reader if {@code pretty}. */
    static String sqs(List<String> notifications, String queueArn, boolean pretty) {
        StringWriter out = new StringWriter(1024 * (notifications.size() + 1));
        String region = queueArn.split(":").length > 3 ? queueArn.split(":")[3] : "us-east-1";
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            json.writeStartObject();
            json.writeArrayFieldStart("Records");
            long now = Instant.now().toEpochMilli();
            for (String body : notifications) {
                json.writeStartObject();
                json.writeStringField("messageId", UUID.randomUUID().toString());
                json.writeStringField("receiptHandle", "local-" + UUID.randomUUID());
                json.writeStringField("body", body);
                json.writeObjectFieldStart("attributes");
                json.writeStringField("ApproximateReceiveCount", "1");
                json.writeStringField("SentTimestamp", Long.toString(now));
                json.writeStringField("SenderId", "AIDAJHIPRHEMV7QGUFFBK");
                json.writeStringField("ApproximateFirstReceiveTimestamp", Long.toString(now));
                json.writeEndObject();
                json.writeObjectFieldStart("messageAttributes");
                json.writeEndObject();
                json.writeStringField("md5OfBody", ETags.of(body.getBytes(StandardCharsets.UTF_8)));
                json.writeStringField("eventSource", "aws:sqs");
                json.writeStringField("eventSourceARN", queueArn);
                json.writeStringField("awsRegion", region);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** S3's encoding of keys in notifications: form encoding, {@code /} kept. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String event(Change change, String region, boolean pretty) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            json.writeStartObject();
            json.writeArrayFieldStart("Records");
            json.writeStartObject();
            json.writeStringField("eventVersion", "2.1");
            json.writeStringField("eventSource", "aws:s3");
            json.writeStringField("awsRegion", region);
            json.writeStringField("eventTime", Instant.now().toString());
            json.writeStringField("eventName", change.eventName());
            json.writeObjectFieldStart("userIdentity");
            json.writeStringField("principalId", "LOCAL");
            json.writeEndObject();
            json.writeObjectFieldStart("s3");
            json.writeStringField("s3SchemaVersion", "1.0");
            json.writeStringField("configurationId", "dev");
            json.writeObjectFieldStart("bucket");
            json.writeStringField("name", change.bucket());
            json.writeStringField("arn", "arn:aws:s3:::" + change.bucket());
            json.writeEndObject();
            json.writeObjectFieldStart("object");
            json.writeStringField("key", encode(change.key()));
            if (change.size() >= 0) {
                json.writeNumberField("size", change.size());
            }
            if (change.etag() != null) {
                json.writeStringField("eTag", change.etag());
            }
            json.writeStringField("sequencer", change.sequencer());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
