package dev.postrenderer.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Just enough of the Lambda Runtime API (version 2018-06-01) for one invocation: for a SnapStart
 * function, {@code GET /runtime/restore/next} (the runtime has run its {@code beforeCheckpoint}
 * hooks; on Lambda the snapshot is taken here and restored in a new environment, whose
 * {@code afterRestore} hooks run next); then hands the event to the first
 * {@code GET /runtime/invocation/next}, collects the response or error, and notes when each phase
 * began and ended, as Lambda does for its REPORT line. Later {@code next} calls wait, as they do
 * on Lambda between invocations, until the server stops.
 */
final class LocalRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    private final byte[] event;
    private final String requestId = UUID.randomUUID().toString();
    private final String functionArn;
    private final long timeoutMillis;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Long> invocationRequested = new CompletableFuture<>();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private volatile long restoreRequestedAt;
    private volatile long invocationRequestedAt;
    private boolean delivered;

    /**
     * How the invocation ended: the response or error body, and when each phase ended (nanos; 0
     * for a phase that did not happen).
     *
     * @param restoreRequestedNanos when the runtime asked for the restore: the end of its init
     * @param eventDeliveredNanos   when it asked for the event: the end of its init or restore
     */
    record Outcome(boolean success, String body, String errorType, long restoreRequestedNanos,
                   long eventDeliveredNanos, long endedNanos) {
    }

    LocalRuntimeApi(byte[] event, String functionArn, Duration timeout) {
        this.event = Objects.requireNonNull(event, "event == null");
        this.functionArn = functionArn;
        this.timeoutMillis = timeout.toMillis();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String requestId() {
        return requestId;
    }

    /**
     * Waits until the runtime asks for the event (its init, and for SnapStart its restore, are
     * over), or the runtime ends or fails first.
     *
     * @return true if the event was delivered; false if the outcome is already known
     */
    boolean awaitDelivery(Duration limit) throws TimeoutException, InterruptedException {
        try {
            CompletableFuture.anyOf(invocationRequested, outcome).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return invocationRequested.isDone();
    }

    /** Waits for the response or error. */
    Outcome await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Ends the invocation as Lambda does when a phase runs out of time. */
    Outcome timedOut(String message) {
        outcome.complete(failure("{\"errorMessage\":\"" + message + "\",\"errorType\":\"Sandbox.Timedout\"}",
                "Sandbox.Timedout"));
        return outcome.join();
    }

    /** Completes the outcome when the process used more memory than the function has, as Lambda reports it. */
    void outOfMemory(int memoryMb, long residentMb) {
        outcome.complete(failure("{\"errorMessage\":\"Runtime exited: memory size " + memoryMb
                + " MB exceeded (resident " + residentMb + " MB)\",\"errorType\":\"Runtime.OutOfMemory\"}",
                "Runtime.OutOfMemory"));
    }

    /** Completes the outcome when the runtime process ends without answering. */
    void processEnded(int status) {
        outcome.complete(failure("{\"errorMessage\":\"the runtime exited with status " + status
                + " before answering\",\"errorType\":\"Runtime.ExitError\"}", "Runtime.ExitError"));
    }

    private Outcome failure(String body, String type) {
        return new Outcome(false, body, type, restoreRequestedAt, invocationRequestedAt, System.nanoTime());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(BASE.length());
        try (exchange) {
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                next(exchange);
            } else if (path.equals("restore/next") && exchange.getRequestMethod().equals("GET")) {
                // the snapshot would be taken here; the restored runtime continues from this answer
                restoreRequestedAt = System.nanoTime();
                respond(exchange, 200, "");
            } else if (path.equals("invocation/" + requestId + "/response")) {
                byte[] body = read(exchange.getRequestBody());
                outcome.complete(new Outcome(true, new String(body, StandardCharsets.UTF_8), null, restoreRequestedAt,
                        invocationRequestedAt, System.nanoTime()));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else if (path.equals("invocation/" + requestId + "/error") || path.equals("init/error")
                    || path.equals("restore/error")) {
                byte[] body = read(exchange.getRequestBody());
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                outcome.complete(failure(new String(body, StandardCharsets.UTF_8), type));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                respond(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        synchronized (this) {
            if (!delivered) {
                delivered = true;
                invocationRequestedAt = System.nanoTime();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", requestId);
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + timeoutMillis));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Sampled=0");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, event.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(event);
                }
                invocationRequested.complete(invocationRequestedAt);
                return;
            }
        }
        try {
            stopped.await(); // one invocation only: the next one never comes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
