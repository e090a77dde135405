package dev.postrenderer.site;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import dev.postrenderer.post.PostDate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reading and writing the site state's JSON with jackson-core's streaming API, which the package
 * already ships (the SDK's relocated copy): one document at a time, every failure an
 * {@link IllegalArgumentException} on reading.
 */
final class JsonCodec {

    static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonCodec() {
    }

    static void position(JsonGenerator json, Position position) throws IOException {
        json.writeStartObject();
        optional(json, "date", position.date().map(PostDate::iso));
        json.writeStringField("path", position.path());
        json.writeEndObject();
    }

    static Position position(JsonParser json) throws IOException {
        Map<String, String> fields = scalars(json);
        return new Position(Optional.ofNullable(fields.get("date")).flatMap(PostDate::parse),
                required(fields.get("path"), "path"));
    }

    /** The scalar fields of the object the parser is at; nested values are skipped. */
    static Map<String, String> scalars(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            if (json.nextToken().isScalarValue()) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        return fields;
    }

    static byte[] copy(JsonParser json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.copyCurrentStructure(json);
        }
        return out.toByteArray();
    }

    static void optional(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        }
    }

    static <T> T required(T value, String name) throws IOException {
        if (value == null) {
            throw new IOException("missing field " + name);
        }
        return value;
    }

    static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /** Reads one JSON document. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonParser json) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static <T> T read(byte[] bytes, Reader<T> reader) {
        try (JsonParser json = JSON.createParser(bytes)) {
            return reader.read(json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not site state: " + e.getMessage(), e);
        }
    }
}
