package dev.postrenderer.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postrenderer.publish.ContentTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Serves a bucket the way the deployed distribution does: the viewer-request rules of its
 * CloudFront function ({@link EdgeRules}: {@code /posts/x/} is {@code posts/x/index.html},
 * {@code /posts/x} is a 301 to {@code /posts/x/}, {@code /_site/} is never served), missing keys
 * get {@code 404.html} with status 404, objects keep their content type, and every response
 * carries the security headers of the template's response headers policy ({@link DeliveryHeaders}).
 */
final class PreviewServer implements AutoCloseable {

    private volatile S3Client s3;
    private final String bucket;
    private final Map<String, String> headers = DeliveryHeaders.bundled();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "preview");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Takes the port, so that a port in use is known before anything else starts; serves nothing
     * until {@link #start}.
     *
     * @throws UncheckedIOException naming the port, if it cannot be had
     */
    PreviewServer(String bucket, int port) {
        this.bucket = bucket;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    /** Serves the bucket through this client from now on. */
    void start(S3Client client) {
        this.s3 = client;
        server.start();
    }

    /** The address readers open. */
    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI request = exchange.getRequestURI();
            EdgeRules.Outcome outcome = EdgeRules.apply(request.getRawPath(), request.getRawQuery());
            if (outcome instanceof EdgeRules.Outcome.Redirect redirect) {
                exchange.getResponseHeaders().add("Location", redirect.location());
                send(exchange, 301, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            if (outcome instanceof EdgeRules.Outcome.Origin origin) {
                // S3 decodes the path once into the key
                String key = EdgeRules.decode(origin.uri()).substring(1);
                Optional<ResponseBytes<GetObjectResponse>> object = get(key);
                if (object.isPresent()) {
                    send(exchange, 200, contentType(key, object.get().response().contentType()),
                            object.get().asByteArray());
                    return;
                }
                // the distribution's custom error response: the site's 404 page, with status 404
                Optional<ResponseBytes<GetObjectResponse>> notFound = get("404.html");
                send(exchange, 404, "text/html; charset=utf-8", notFound.map(ResponseBytes::asByteArray)
                        .orElse("<!DOCTYPE html><title>Not found</title><p>Not found".getBytes(StandardCharsets.UTF_8)));
                return;
            }
            // the function's own 404, for the site's state
            send(exchange, 404, "text/plain; charset=utf-8", "Not Found".getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The stored type; S3Mock 5.2.0 ignores the type a server-side copy sets (S3 applies it), so
     * assets it copied come back untyped and get the type S3 would have: the one by extension.
     */
    private static String contentType(String key, String stored) {
        return stored == null || stored.equals("application/octet-stream") ? ContentTypes.of(key) : stored;
    }

    private Optional<ResponseBytes<GetObjectResponse>> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        // unlike the distribution, dev never caches: an edit shows on the next reload
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
