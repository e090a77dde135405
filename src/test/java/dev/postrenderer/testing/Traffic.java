package dev.postrenderer.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Every HTTP request a real S3 client sent, with the bytes it carried each way: the body it
 * wrote, and the body the server answered. Nothing is stubbed: the requests still go to the
 * server. Thread-safe.
 */
public final class Traffic implements ExecutionInterceptor {

    /** One request: method, bucket, decoded key, bytes written and read. */
    public record Request(String method, String bucket, String key, long written, long read) {
        /** {@code GET site/index.html}, for assertion messages. */
        @Override
        public String toString() {
            return method + " " + key + " (" + (written + read) + " B)";
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String path = context.httpRequest().encodedPath();
        String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        String[] parts = decoded.substring(1).split("/", 2);
        long written = context.requestBody().flatMap(body -> body.optionalContentLength()).orElse(0L);
        long read = context.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L);
        if (context.httpRequest().method().name().equals("HEAD")) {
            read = 0; // a HEAD answer names the object's length but carries no body
        }
        requests.add(new Request(context.httpRequest().method().name(), parts[0], parts.length > 1 ? parts[1] : "",
                written, read));
    }

    public List<Request> all() {
        return List.copyOf(requests);
    }

    public void clear() {
        requests.clear();
    }

    /** Bytes written plus read by the requests that match. */
    public long bytes(Predicate<Request> which) {
        return requests.stream().filter(which).mapToLong(request -> request.written() + request.read()).sum();
    }
}
