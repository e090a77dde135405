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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Just enough of the Lambda Runtime API (version 2018-06-01) for one execution environment: for a
 * SnapStart function, {@code GET /runtime/restore/next} (the runtime has run its
 * {@code beforeCheckpoint} hooks; on Lambda the snapshot is taken here and restored in a new
 * environment, whose {@code afterRestore} hooks run next); then each {@code GET
 * /runtime/invocation/next} gets the next event, once the previous one is answered, as a warm
 * environment gets them; the response or error of each is collected, and when each phase began and
 * ended is noted, as Lambda does for its REPORT lines. After the last event, {@code next} calls
 * wait, as they do on Lambda between invocations, until the server stops.
 */
final class LocalRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    private final List<Slot> slots;
    private final String functionArn;
    private final long timeoutMillis;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long restoreRequestedAt;
    /** The slot of the event delivered last; -1 before the first. Guarded by this. */
    private int delivered = -1;

    /** One event, its request id, and what became of it. */
    private static final class Slot {
        final byte[] event;
        final String requestId = UUID.randomUUID().toString();
        final CompletableFuture<Long> requested = new CompletableFuture<>();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile long requestedAt;

        Slot(byte[] event) {
            this.event = Objects.requireNonNull(event, "event == null");
        }
    }

    /**
     * How an invocation ended: the response or error body, and when each phase ended (nanos; 0 for
     * a phase that did not happen).
     *
     * @param restoreRequestedNanos when the runtime asked for the restore: the end of its init
     * @param eventDeliveredNanos   when it asked for the event: the end of its init, its restore or
     *                              the previous invocation
     */
    record Outcome(boolean success, String body, String errorType, long restoreRequestedNanos,
                   long eventDeliveredNanos, long endedNanos) {

        /** Whether the environment ended with it (Lambda starts a new one for the next event). */
        boolean endedTheEnvironment() {
            return errorType != null && (errorType.startsWith("Sandbox.") || errorType.startsWith("Runtime."));
        }
    }

    LocalRuntimeApi(List<byte[]> events, String functionArn, Duration timeout) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no event");
        }
        this.slots = events.stream().map(Slot::new).toList();
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

    /** How many events there are. */
    int events() {
        return slots.size();
    }

    String requestId(int event) {
        return slots.get(event).requestId;
    }

    /**
     * Waits until the runtime asks for that event (its init, for SnapStart its restore, or the
     * previous invocation is over), or the runtime ends or fails first.
     *
     * @return true if the event was delivered; false if its outcome is already known
     */
    boolean awaitDelivery(int event, Duration limit) throws TimeoutException, InterruptedException {
        Slot slot = slots.get(event);
        try {
            CompletableFuture.anyOf(slot.requested, slot.outcome).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return slot.requested.isDone();
    }

    /** Waits for that event's response or error. */
    Outcome await(int event, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return slots.get(event).outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Ends that invocation as Lambda does when a phase runs out of time. */
    Outcome timedOut(int event, String message) {
        Slot slot = slots.get(event);
        slot.outcome.complete(failure(slot, "{\"errorMessage\":\"" + message
                + "\",\"errorType\":\"Sandbox.Timedout\"}", "Sandbox.Timedout"));
        return slot.outcome.join();
    }

    /** Ends the current invocation when the process used more memory than the function has, as Lambda reports it. */
    void outOfMemory(int memoryMb, long residentMb) {
        Slot slot = current();
        slot.outcome.complete(failure(slot, "{\"errorMessage\":\"Runtime exited: memory size " + memoryMb
                + " MB exceeded (resident " + residentMb + " MB)\",\"errorType\":\"Runtime.OutOfMemory\"}",
                "Runtime.OutOfMemory"));
    }

    /** Ends the current invocation when the runtime process ends without answering. */
    void processEnded(int status) {
        Slot slot = current();
        slot.outcome.complete(failure(slot, "{\"errorMessage\":\"the runtime exited with status " + status
                + " before answering\",\"errorType\":\"Runtime.ExitError\"}", "Runtime.ExitError"));
    }

    /** The invocation under way: the last event delivered unless it is answered, else the next. */
    private synchronized Slot current() {
        if (delivered >= 0 && (!slots.get(delivered).outcome.isDone() || delivered == slots.size() - 1)) {
            return slots.get(delivered);
        }
        return slots.get(delivered + 1);
    }

    private Outcome failure(Slot slot, String body, String type) {
        return new Outcome(false, body, type, restoreRequestedAt, slot.requestedAt, System.nanoTime());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(BASE.length());
        try (exchange) {
            Optional<Slot> answered = slots.stream().filter(slot -> path.equals("invocation/" + slot.requestId
                    + "/response") || path.equals("invocation/" + slot.requestId + "/error")).findFirst();
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                next(exchange);
            } else if (path.equals("restore/next") && exchange.getRequestMethod().equals("GET")) {
                // the snapshot would be taken here; the restored runtime continues from this answer
                restoreRequestedAt = System.nanoTime();
                respond(exchange, 200, "");
            } else if (answered.isPresent() && path.endsWith("/response")) {
                Slot slot = answered.get();
                byte[] body = read(exchange.getRequestBody());
                slot.outcome.complete(new Outcome(true, new String(body, StandardCharsets.UTF_8), null,
                        restoreRequestedAt, slot.requestedAt, System.nanoTime()));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else if (answered.isPresent() || path.equals("init/error") || path.equals("restore/error")) {
                Slot slot = answered.orElseGet(this::current);
                byte[] body = read(exchange.getRequestBody());
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                slot.outcome.complete(failure(slot, new String(body, StandardCharsets.UTF_8), type));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                respond(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Slot slot = null;
        synchronized (this) {
            if (delivered + 1 < slots.size() && (delivered < 0 || slots.get(delivered).outcome.isDone())) {
                delivered++;
                slot = slots.get(delivered);
                slot.requestedAt = System.nanoTime();
            }
        }
        if (slot == null) {
            try {
                stopped.await(); // no event left: the next one never comes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", slot.requestId);
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                Long.toString(System.currentTimeMillis() + timeoutMillis));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, slot.event.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(slot.event);
        }
        slot.requested.complete(slot.requestedAt);
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
