package dev.postrenderer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * S3 event JSON in the exact shape of {@code events/s3-put.json} (itself the shape of
 * {@code sam local generate-event s3 put}), and the SQS batches Lambda delivers when S3 notifies
 * a queue, in the shape of {@code events/sqs-s3-put.json}.
 */
public final class S3Events {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of("events/s3-put.json");

    private final List<JsonNode> records = new ArrayList<>();

    /** Starts an event; add records with {@link #put} and {@link #delete}. */
    public static S3Events event() {
        return new S3Events();
    }

    /** An {@code ObjectCreated:Put} record; the key is given decoded and encoded here as S3 does. */
    public S3Events put(String bucket, String key, long size, String etag, String sequencer) {
        ObjectNode record = record(bucket, "ObjectCreated:Put");
        ObjectNode object = (ObjectNode) record.path("s3").path("object");
        object.put("key", encode(key));
        object.put("size", size);
        object.put("eTag", etag);
        object.put("sequencer", sequencer);
        records.add(record);
        return this;
    }

    /** What an {@code ObjectCreated:Put} record says about an upload. */
    public record Put(String bucket, String key, long size, String etag, String sequencer) {
    }

    /** An {@code ObjectCreated:Put} record for that upload. */
    public S3Events put(Put upload) {
        return put(upload.bucket(), upload.key(), upload.size(), upload.etag(), upload.sequencer());
    }

    /** An {@code ObjectRemoved:Delete} record, which carries neither size nor ETag. */
    public S3Events delete(String bucket, String key, String sequencer) {
        ObjectNode record = record(bucket, "ObjectRemoved:Delete");
        ObjectNode object = JSON.createObjectNode();
        object.put("key", encode(key));
        object.put("sequencer", sequencer);
        ((ObjectNode) record.path("s3")).set("object", object);
        records.add(record);
        return this;
    }

    /** A record with a key exactly as given, not encoded. */
    public S3Events rawKey(String bucket, String eventName, String encodedKey) {
        ObjectNode record = record(bucket, eventName);
        ((ObjectNode) record.path("s3").path("object")).put("key", encodedKey);
        records.add(record);
        return this;
    }

    /** The event as JSON text. */
    public String json() {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(array::add);
        return event.toString();
    }

    /**
     * The event as Lambda delivers it from the SQS queue S3 notifies: one message per record,
     * with message ids {@code m0}, {@code m1} …, each body an S3 notification with one record.
     */
    public String sqs() {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode messages = event.putArray("Records");
        for (int i = 0; i < records.size(); i++) {
            ObjectNode notification = JSON.createObjectNode();
            notification.putArray("Records").add(records.get(i));
            messages.add(message("m" + i, notification.toString()));
        }
        return event.toString();
    }

    /** An SQS message in the shape Lambda delivers, with this body. */
    public static ObjectNode message(String id, String body) {
        ObjectNode message = JSON.createObjectNode();
        message.put("messageId", id);
        message.put("receiptHandle", "handle-" + id);
        message.put("body", body);
        ObjectNode attributes = message.putObject("attributes");
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", "1710754200000");
        attributes.put("SenderId", "AIDAJHIPRHEMV7QGUFFBK");
        attributes.put("ApproximateFirstReceiveTimestamp", "1710754200000");
        message.putObject("messageAttributes");
        message.put("md5OfBody", "0");
        message.put("eventSource", "aws:sqs");
        message.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:post-renderer-uploads");
        message.put("awsRegion", "us-east-1");
        return message;
    }

    /** An SQS batch of the given messages. */
    public static String sqs(List<ObjectNode> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        messages.forEach(array::add);
        return event.toString();
    }

    /** The test event S3 sends when a notification is configured. */
    public static String testEvent(String bucket) {
        return "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2024-03-18T09:30:00.000Z\","
                + "\"Bucket\":\"" + bucket + "\",\"RequestId\":\"EXAMPLE\",\"HostId\":\"EXAMPLE\"}";
    }

    /** S3's encoding of keys in events: form encoding, with {@code /} left as it is. */
    public static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static ObjectNode record(String bucket, String eventName) {
        try {
            ObjectNode record = (ObjectNode) JSON.readTree(Files.readString(TEMPLATE)).path("Records").get(0).deepCopy();
            record.put("eventName", eventName);
            ObjectNode bucketNode = (ObjectNode) record.path("s3").path("bucket");
            bucketNode.put("name", bucket);
            bucketNode.put("arn", "arn:aws:s3:::" + bucket);
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
