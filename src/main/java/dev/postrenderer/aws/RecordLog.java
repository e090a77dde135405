package dev.postrenderer.aws;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;

/**
 * One structured JSON log line per S3 event record: key, event, action, outcome and duration.
 * A permanent failure's line is also a CloudWatch Embedded Metric Format document, so that it
 * counts in the {@value #METRIC} metric without a separate API call. Post bodies are never
 * logged. Thread-safe.
 */
final class RecordLog {

    /** CloudWatch namespace of the function's metrics. */
    static final String NAMESPACE = "PostRenderer";
    /** The metric counting posts that can never be published as they are. */
    static final String METRIC = "PermanentFailures";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final PrintStream out;
    private final Clock clock;
    private final String functionName;

    RecordLog(PrintStream out, Clock clock, String functionName) {
        this.out = Objects.requireNonNull(out, "out == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.functionName = Objects.requireNonNull(functionName, "functionName == null");
    }

    /** A record handled as intended, whatever the action (rendered, ignored, stale …). */
    void handled(String key, String event, String action, String siteKey, long millis) {
        write(line -> {
            line.writeStringField("level", "INFO");
            fields(line, key, event, action, "ok", millis);
            if (siteKey != null) {
                line.writeStringField("siteKey", siteKey);
            }
        });
    }

    /** A record that can never succeed as it is: reported, counted, not retried. */
    void permanentFailure(String key, String event, String reason, long millis) {
        write(line -> {
            line.writeObjectFieldStart("_aws");
            line.writeNumberField("Timestamp", clock.millis());
            line.writeArrayFieldStart("CloudWatchMetrics");
            line.writeStartObject();
            line.writeStringField("Namespace", NAMESPACE);
            line.writeArrayFieldStart("Dimensions");
            line.writeStartArray();
            line.writeString("FunctionName");
            line.writeEndArray();
            line.writeEndArray();
            line.writeArrayFieldStart("Metrics");
            line.writeStartObject();
            line.writeStringField("Name", METRIC);
            line.writeStringField("Unit", "Count");
            line.writeEndObject();
            line.writeEndArray();
            line.writeEndObject();
            line.writeEndArray();
            line.writeEndObject();
            line.writeStringField("FunctionName", functionName);
            line.writeNumberField(METRIC, 1);
            line.writeStringField("level", "ERROR");
            fields(line, key, event, "rejected", "permanent_failure", millis);
            line.writeStringField("reason", reason);
        });
    }

    /** A record that failed in a way that may pass: the event is retried. */
    void transientFailure(String key, String event, String error, long millis) {
        write(line -> {
            line.writeStringField("level", "ERROR");
            fields(line, key, event, "none", "transient_failure", millis);
            line.writeStringField("error", error);
        });
    }

    /** Something that went as intended and is not about one record, with how long it took. */
    void info(String message, long millis) {
        write(line -> {
            line.writeStringField("level", "INFO");
            line.writeStringField("message", message);
            line.writeNumberField("ms", millis);
        });
    }

    /** Something the operator should know that is not about one record. */
    void warning(String message) {
        write(line -> {
            line.writeStringField("level", "WARN");
            line.writeStringField("message", message);
        });
    }

    /** An event that carried no records, such as S3's test event. */
    void noRecords() {
        write(line -> {
            line.writeStringField("level", "WARN");
            line.writeStringField("outcome", "no_records");
        });
    }

    private static void fields(JsonGenerator line, String key, String event, String action, String outcome,
                               long millis) throws IOException {
        line.writeStringField("key", key);
        line.writeStringField("event", event);
        line.writeStringField("action", action);
        line.writeStringField("outcome", outcome);
        line.writeNumberField("ms", millis);
    }

    private void write(Fields fields) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator line = JSON.createGenerator(text)) {
            line.writeStartObject();
            fields.write(line);
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(text);
    }

    /** The fields of one line. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator line) throws IOException;
    }
}
