package dev.postrenderer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of S3Mock that breaks chosen requests the ways S3 and networks break:
 * {@code 500 InternalError}, {@code 503 SlowDown}, a connection closed without an answer, and an
 * answer that never comes (past the client's timeout). Everything else is forwarded unchanged.
 */
public final class FaultyS3Proxy implements AutoCloseable {

    /** How a request fails. */
    public enum Fault {
        INTERNAL_ERROR, SLOW_DOWN, RESET, STALL
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "faulty-s3");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile double randomRate;
    private volatile java.util.Random random = new java.util.Random(0);

    private record Rule(String method, String pathPart, Fault fault, AtomicInteger remaining) {
        boolean matches(String requestMethod, String path) {
            return (method == null || method.equals(requestMethod)) && path.contains(pathPart) && remaining.get() > 0;
        }
    }

    public FaultyS3Proxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The proxy's address, for an S3 client's endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Breaks the next {@code times} requests with this method (null for any) whose path contains
     * {@code pathPart} (the path starts with {@code /bucket/}).
     */
    public FaultyS3Proxy fail(String method, String pathPart, Fault fault, int times) {
        rules.add(new Rule(method, pathPart, fault, new AtomicInteger(times)));
        return this;
    }

    /**
     * Breaks a random share of all requests with a 500, a 503 or a reset, from a fixed seed (the
     * order of concurrent requests still varies).
     */
    public FaultyS3Proxy failRandomly(double rate, long seed) {
        random = new java.util.Random(seed);
        randomRate = rate;
        return this;
    }

    /** Breaks nothing from now on. */
    public void clear() {
        rules.clear();
        randomRate = 0;
    }

    /** How many requests were broken. */
    public int injected() {
        return injected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        for (Rule rule : rules) {
            if (rule.matches(method, path) && rule.remaining().getAndDecrement() > 0) {
                injected.incrementAndGet();
                inject(exchange, rule.fault());
                return;
            }
        }
        if (randomRate > 0) {
            double roll;
            int kind;
            synchronized (this) {
                roll = random.nextDouble();
                kind = random.nextInt(3);
            }
            if (roll < randomRate) {
                injected.incrementAndGet();
                inject(exchange, List.of(Fault.INTERNAL_ERROR, Fault.SLOW_DOWN, Fault.RESET).get(kind));
                return;
            }
        }
        forward(exchange, method, body);
    }

    private static void inject(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault) {
            case INTERNAL_ERROR -> error(exchange, 500, "InternalError", "We encountered an internal error.");
            case SLOW_DOWN -> error(exchange, 503, "SlowDown", "Please reduce your request rate.");
            case RESET -> exchange.close();
            case STALL -> {
                try {
                    Thread.sleep(2 * S3MockServer.PROXY_ATTEMPT_TIMEOUT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>FAULT</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, xml.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(xml);
        }
    }

    private void forward(HttpExchange exchange, String method, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(target + exchange.getRequestURI().toString())
                .toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(false);
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(value -> connection.addRequestProperty(header.getKey(), value));
            }
        }
        if (body.length > 0 || method.equals("PUT") || method.equals("POST")) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        byte[] response;
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            response = in == null ? new byte[0] : in.readAllBytes();
        }
        for (Map.Entry<String, List<String>> header : connection.getHeaderFields().entrySet()) {
            if (header.getKey() != null && !HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(value -> exchange.getResponseHeaders().add(header.getKey(), value));
            }
        }
        boolean head = method.equals("HEAD");
        if (head && connection.getHeaderField("Content-Length") != null) {
            exchange.getResponseHeaders().add("Content-Length", connection.getHeaderField("Content-Length"));
        }
        exchange.sendResponseHeaders(status, head || response.length == 0 ? -1 : response.length);
        if (!head && response.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
