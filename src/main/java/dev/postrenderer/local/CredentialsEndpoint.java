package dev.postrenderer.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;

/**
 * The container-credentials endpoint Lambda gives a function restored by SnapStart, on loopback:
 * the function's environment names it in {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and carries
 * the token in {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; a {@code GET} with that token as its
 * {@code Authorization} header answers the credentials as JSON ({@code AccessKeyId},
 * {@code SecretAccessKey}, {@code Token}, {@code Expiration}); any other request gets {@code 403}.
 * Thread-safe.
 */
final class CredentialsEndpoint implements AutoCloseable {

    /** The path Lambda's endpoint serves credentials at. */
    static final String PATH = "/2021-04-23/credentials";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** How long served credentials are said to last; the SDK asks again before they expire. */
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final SecureRandom TOKENS = new SecureRandom();

    /** What the endpoint hands out: the host's credentials, or placeholders for a local S3. */
    record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId == null");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey == null");
            Objects.requireNonNull(sessionToken, "sessionToken == null");
        }
    }

    private final Credentials credentials;
    private final String token;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "credentials-endpoint");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    CredentialsEndpoint(Credentials credentials, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        byte[] secret = new byte[24];
        TOKENS.nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the credentials endpoint: " + e.getMessage(), e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The value of {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. */
    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** The value of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}. */
    String token() {
        return token;
    }

    /** How many requests got credentials. */
    int served() {
        return served.get();
    }

    /** How many requests were refused (wrong path, method or token). */
    int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean authorised = token.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(PATH)
                    || !authorised) {
                refused.incrementAndGet();
                send(exchange, 403, "{\"message\":\"not authorised\"}");
                return;
            }
            served.incrementAndGet();
            send(exchange, 200, body());
        }
    }

    private String body() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("AccessKeyId", credentials.accessKeyId());
            json.writeStringField("SecretAccessKey", credentials.secretAccessKey());
            if (credentials.sessionToken().isPresent()) {
                json.writeStringField("Token", credentials.sessionToken().get());
            }
            json.writeStringField("Expiration", Instant.now(clock).plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS)
                    .toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
