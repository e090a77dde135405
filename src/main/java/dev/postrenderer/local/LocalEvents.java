package dev.postrenderer.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The S3 event notifications S3 would send for changes to a local bucket, as JSON in the shape
 * of {@code events/s3-put.json}, loaded into {@link S3Event} the way the Lambda runtime loads them.
 */
final class LocalEvents {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private LocalEvents() {
    }

    /** An {@code ObjectCreated:Put} notification. */
    static String put(String bucket, String key, long size, String etag, String sequencer) {
        return event(bucket, "ObjectCreated:Put", key, size, etag, sequencer);
    }

    /** An {@code ObjectRemoved:Delete} notification. */
    static String delete(String bucket, String key, String sequencer) {
        return event(bucket, "ObjectRemoved:Delete", key, -1, null, sequencer);
    }

    /** The event as the Lambda runtime would hand it to the handler. */
    static S3Event load(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, LocalEvents.class.getClassLoader()).fromJson(json);
    }

    /** S3's encoding of keys in notifications: form encoding, {@code /} kept. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String event(String bucket, String name, String key, long size, String etag, String sequencer) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("Records");
            json.writeStartObject();
            json.writeStringField("eventVersion", "2.1");
            json.writeStringField("eventSource", "aws:s3");
            json.writeStringField("awsRegion", "us-east-1");
            json.writeStringField("eventTime", Instant.now().toString());
            json.writeStringField("eventName", name);
            json.writeObjectFieldStart("userIdentity");
            json.writeStringField("principalId", "LOCAL");
            json.writeEndObject();
            json.writeObjectFieldStart("s3");
            json.writeStringField("s3SchemaVersion", "1.0");
            json.writeStringField("configurationId", "dev");
            json.writeObjectFieldStart("bucket");
            json.writeStringField("name", bucket);
            json.writeStringField("arn", "arn:aws:s3:::" + bucket);
            json.writeEndObject();
            json.writeObjectFieldStart("object");
            json.writeStringField("key", encode(key));
            if (size >= 0) {
                json.writeNumberField("size", size);
            }
            if (etag != null) {
                json.writeStringField("eTag", etag);
            }
            json.writeStringField("sequencer", sequencer);
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
