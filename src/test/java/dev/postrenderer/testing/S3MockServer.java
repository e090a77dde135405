package dev.postrenderer.testing;

import dev.postrenderer.aws.S3Clients;
import dev.postrenderer.local.LocalS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one S3Mock server of a test run: started by the first test that needs it, stopped when
 * the test JVM exits (see {@link LocalS3}), with an access log of every request it serves. Each test takes its own fresh buckets, so tests never see each other's
 * objects.
 */
public final class S3MockServer {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static volatile S3MockServer instance;

    private final LocalS3 server;
    private final S3Client client;
    private final S3AccessLog accessLog;

    private S3MockServer(LocalS3 server, Path logs) {
        this.server = server;
        this.client = newClient();
        this.accessLog = new S3AccessLog(logs.resolve("access.log"));
    }

    /** The running server, started on first use. */
    public static S3MockServer get() {
        S3MockServer current = instance;
        if (current == null) {
            synchronized (S3MockServer.class) {
                current = instance;
                if (current == null) {
                    Path root = temp();
                    Path logs = root.resolveSibling("logs");
                    LocalS3 server = LocalS3.start(jar(), root, List.of(), 0, Optional.of(logs));
                    // a test run's objects take hundreds of megabytes: they go with the run
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        server.close();
                        deleteTree(root.getParent());
                    }, "remove-s3mock-store"));
                    current = new S3MockServer(server, logs);
                    instance = current;
                }
            }
        }
        return current;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** The server's own record of every request it served. */
    public S3AccessLog accessLog() {
        return accessLog;
    }

    /** A shared client with short timeouts for this server. */
    public S3Client client() {
        return client;
    }

    /**
     * A client of its own, as another function instance would have; its conditional writes are
     * atomic, as S3's are (see {@link AtomicConditionalWrites}).
     */
    public S3Client newClient() {
        return S3Clients.localBuilder(endpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AtomicConditionalWrites()))
                .build();
    }

    /**
     * A client of another endpoint in front of this server (a proxy), with atomic conditional
     * writes and an attempt timeout of {@value #PROXY_ATTEMPT_TIMEOUT_MILLIS} ms, so that stalls are
     * told apart quickly.
     */
    public S3Client newClient(URI endpoint) {
        return S3Clients.localBuilder(endpoint)
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AtomicConditionalWrites())
                        .apiCallAttemptTimeout(java.time.Duration.ofMillis(PROXY_ATTEMPT_TIMEOUT_MILLIS)))
                .build();
    }

    /** A client of another endpoint (a proxy) that also reports its requests to an interceptor. */
    public S3Client newClient(URI endpoint, software.amazon.awssdk.core.interceptor.ExecutionInterceptor observer) {
        return S3Clients.localBuilder(endpoint)
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AtomicConditionalWrites())
                        .addExecutionInterceptor(observer)
                        .apiCallAttemptTimeout(java.time.Duration.ofMillis(PROXY_ATTEMPT_TIMEOUT_MILLIS)))
                .build();
    }

    /** The attempt timeout of clients behind a proxy. */
    public static final long PROXY_ATTEMPT_TIMEOUT_MILLIS = 1_000;

    /** A client that records every request it sends to the server. */
    public S3Client recordingClient(RecordedRequests requests) {
        return S3Clients.localBuilder(endpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AtomicConditionalWrites())
                        .addExecutionInterceptor(requests))
                .build();
    }

    /** Creates a new, empty bucket whose name starts with {@code prefix}. */
    public String newBucket(String prefix) {
        String name = prefix + "-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    private static Path jar() {
        String path = System.getProperty("s3mock.jar");
        if (path == null) {
            throw new IllegalStateException("system property s3mock.jar is not set; run the tests with Maven");
        }
        return Path.of(path);
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not remove S3Mock's store " + folder + ": " + e);
        }
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("s3mock").resolve("store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
