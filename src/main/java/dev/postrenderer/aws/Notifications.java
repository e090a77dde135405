package dev.postrenderer.aws;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The S3 notifications in what Lambda hands the function: an SQS batch whose messages carry S3
 * event notifications (the deployed trigger), or a plain S3 event (a direct trigger, {@code sam
 * local invoke} with {@code events/s3-*.json}). Read with jackson-core straight into the
 * {@code aws-lambda-java-events} types, without the runtime's reflective serialisation. S3's
 * {@code s3:TestEvent} messages carry no records and are counted as such.
 */
final class Notifications {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** One S3 record and the SQS message it came in, if it came in one. */
    record Notice(Optional<SQSEvent.SQSMessage> message, S3EventNotificationRecord record) {
        Notice {
            Objects.requireNonNull(message, "message == null");
            Objects.requireNonNull(record, "record == null");
        }
    }

    /**
     * A record that can never be handled: an S3 record without a key, or an SQS message whose
     * body is not an S3 notification; with the SQS message it came in, if any.
     */
    record Unreadable(Optional<SQSEvent.SQSMessage> message, String problem) {
        Unreadable {
            Objects.requireNonNull(message, "message == null");
            Objects.requireNonNull(problem, "problem == null");
        }
    }

    /**
     * @param fromQueue true if the event was an SQS batch (failures are then reported per message)
     * @param testEvents how many S3 test events the batch held
     */
    record Batch(boolean fromQueue, List<Notice> notices, List<Unreadable> unreadable, int testEvents) {
        Batch {
            notices = List.copyOf(notices);
            unreadable = List.copyOf(unreadable);
        }
    }

    private Notifications() {
    }

    /**
     * Reads an invocation's event.
     *
     * @throws IllegalArgumentException if it is not JSON of either shape
     */
    static Batch read(byte[] event) {
        List<Notice> notices = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        int[] tests = {0};
        boolean[] queue = {false};
        try (JsonParser json = JSON.createParser(event)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (!field.equals("Records")) {
                    if (field.equals("Event") && "s3:TestEvent".equals(json.getValueAsString())) {
                        tests[0]++;
                    }
                    json.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY);
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    Map<String, Object> record = object(json);
                    if ("aws:sqs".equals(record.get("eventSource"))) {
                        queue[0] = true;
                        SQSEvent.SQSMessage message = message(record);
                        try {
                            Batch inner = read(String.valueOf(record.getOrDefault("body", ""))
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            tests[0] += inner.testEvents();
                            inner.notices().forEach(notice -> notices.add(new Notice(Optional.of(message),
                                    notice.record())));
                            inner.unreadable().forEach(bad -> unreadable.add(new Unreadable(Optional.of(message),
                                    bad.problem())));
                        } catch (IllegalArgumentException e) {
                            unreadable.add(new Unreadable(Optional.of(message),
                                    "the message is not an S3 event notification: " + e.getMessage()));
                        }
                    } else {
                        // one malformed record is reported on its own; the others are still handled
                        try {
                            notices.add(new Notice(Optional.empty(), s3Record(record)));
                        } catch (RuntimeException e) {
                            unreadable.add(new Unreadable(Optional.empty(), "a malformed S3 record: " + e.getMessage()));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
        }
        return new Batch(queue[0], notices, unreadable, tests[0]);
    }

    private static SQSEvent.SQSMessage message(Map<String, Object> record) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(string(record, "messageId"));
        message.setReceiptHandle(string(record, "receiptHandle"));
        message.setBody(string(record, "body"));
        message.setMd5OfBody(string(record, "md5OfBody"));
        message.setEventSource(string(record, "eventSource"));
        message.setEventSourceArn(string(record, "eventSourceARN"));
        message.setAwsRegion(string(record, "awsRegion"));
        if (message.getMessageId() == null) {
            throw new IllegalArgumentException("an SQS record without a messageId");
        }
        return message;
    }

    @SuppressWarnings("unchecked")
    private static S3EventNotificationRecord s3Record(Map<String, Object> record) {
        Map<String, Object> s3 = (Map<String, Object>) record.getOrDefault("s3", Map.of());
        Map<String, Object> bucket = (Map<String, Object>) s3.getOrDefault("bucket", Map.of());
        Map<String, Object> object = (Map<String, Object>) s3.getOrDefault("object", Map.of());
        if (object.get("key") == null || bucket.get("name") == null) {
            throw new IllegalArgumentException("an S3 record without a bucket name or an object key");
        }
        Object size = object.get("size");
        S3ObjectEntity entity = new S3ObjectEntity(string(object, "key"),
                size == null ? null : Long.valueOf(size.toString()), string(object, "eTag"),
                string(object, "versionId"), string(object, "sequencer"));
        // the event time stays unparsed: nothing here needs it, and parsing it would load Joda-Time
        return new S3EventNotificationRecord(string(record, "awsRegion"), string(record, "eventName"),
                string(record, "eventSource"), null, string(record, "eventVersion"), null, null,
                new S3Entity(string(s3, "configurationId"), new S3BucketEntity(string(bucket, "name"), null,
                        string(bucket, "arn")), entity, string(s3, "s3SchemaVersion")), null);
    }

    /** A JSON object as maps, strings and numbers: small, and only what the records hold. */
    private static Map<String, Object> object(JsonParser json) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (value == JsonToken.START_OBJECT) {
                fields.put(name, object(json));
            } else if (value == JsonToken.START_ARRAY) {
                json.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                fields.put(name, json.getText());
            }
        }
        return fields;
    }

    private static String string(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        return value instanceof String text ? text : null;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
