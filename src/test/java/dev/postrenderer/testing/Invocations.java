package dev.postrenderer.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Invokes a stream handler the way the Lambda runtime does: the event's bytes in, the response's bytes out. */
public final class Invocations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Invocations() {
    }

    /** The message ids the handler answered as failed, from {@code {"batchItemFailures": [...]}}. */
    public static List<String> invoke(RequestStreamHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            JsonNode response = JSON.readTree(out.toByteArray());
            List<String> failed = new ArrayList<>();
            response.get("batchItemFailures").forEach(item -> failed.add(item.get("itemIdentifier").asText()));
            return failed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
