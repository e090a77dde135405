package dev.postrenderer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real S3-compatible server on this machine: Adobe S3Mock, run from its executable jar in
 * its own process, listening on a free loopback port, with the named buckets created at start.
 * Starting takes seconds, so start one per test run or per {@code dev} session.
 */
public final class LocalS3 implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** The fields of the access log, the header last since it has spaces of its own. */
    public static final String ACCESS_LOG_PATTERN = "%m %U %q %s %b %{Content-Length}i %{Authorization}i";

    private final Process process;
    private final URI endpoint;
    private final Path log;
    /** Stops the server when this JVM stops, however it stops; removed by {@link #close()}. */
    private final Thread stopper;

    private LocalS3(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.stopper = new Thread(this::stop, "stop-s3mock");
        Runtime.getRuntime().addShutdownHook(stopper);
    }

    /**
     * Starts the server and waits until it answers.
     *
     * @param jar     the S3Mock executable jar ({@code target/tools/s3mock-5.2.0-exec.jar})
     * @param root    where it keeps objects; its log and temporary files go next to it
     * @param buckets buckets to create at start
     */
    public static LocalS3 start(Path jar, Path root, List<String> buckets) {
        return start(jar, root, buckets, 0);
    }

    /** Starts S3Mock on {@code httpPort} (0: any free port). */
    public static LocalS3 start(Path jar, Path root, List<String> buckets, int httpPort) {
        return start(jar, root, buckets, httpPort, Optional.empty());
    }

    /**
     * Starts S3Mock on {@code httpPort} (0: any free port), and if asked, with an access log of every
     * request: {@value #ACCESS_LOG_PATTERN} (Tomcat's fields: method, path, query, status, bytes
     * sent, bytes received, the {@code Authorization} header), unbuffered, in {@code access.log}.
     */
    public static LocalS3 start(Path jar, Path root, List<String> buckets, int httpPort, Optional<Path> accessLog) {
        Objects.requireNonNull(jar, "jar == null");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock is not at " + jar + "; run mvn -DskipTests package first");
        }
        try {
            Files.createDirectories(root);
            int port = httpPort == 0 ? freePort() : httpPort;
            int managementPort = freePort();
            Path log = root.resolveSibling(root.getFileName() + ".log");
            List<String> command = new ArrayList<>(S3MockJvm.command(jar));
            // its web server's and uploads' temporary files go next to its objects, and with them
            Path tmp = Files.createDirectories(root.resolveSibling(root.getFileName() + ".tmp"));
            command.add(1, "-Djava.io.tmpdir=" + tmp.toAbsolutePath());
            command.addAll(List.of("--http.port=" + port,
                    "--server.port=" + managementPort,
                    "--com.adobe.testing.s3mock.store.root=" + root.toAbsolutePath(),
                    "--logging.level.root=WARN"));
            if (!buckets.isEmpty()) {
                command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets));
            }
            if (accessLog.isPresent()) {
                Files.createDirectories(accessLog.get());
                command.addAll(List.of("--server.tomcat.accesslog.enabled=true",
                        "--server.tomcat.accesslog.directory=" + accessLog.get().toAbsolutePath(),
                        "--server.tomcat.accesslog.prefix=access", "--server.tomcat.accesslog.suffix=.log",
                        "--server.tomcat.accesslog.rotate=false", "--server.tomcat.accesslog.buffered=false",
                        "--server.tomcat.accesslog.pattern=" + ACCESS_LOG_PATTERN));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            LocalS3 server = new LocalS3(process, URI.create("http://127.0.0.1:" + port), log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock: " + e, e);
        }
    }

    /** The server's address, for an S3 client with path-style access. */
    public URI endpoint() {
        return endpoint;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with status " + process.exitValue() + "; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("S3Mock did not answer within " + STARTUP.toSeconds() + " s; see " + log);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down, and the hook stops the server (again, harmlessly)
            return;
        }
    }

    private void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
