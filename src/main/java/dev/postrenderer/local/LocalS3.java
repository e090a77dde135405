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

/**
 * A real S3-compatible server on this machine: Adobe S3Mock, run from its executable jar in
 * its own process, listening on a free loopback port, with the named buckets created at start.
 * Starting takes seconds, so start one per test run or per {@code dev} session.
 */
public final class LocalS3 implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private LocalS3(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts the server and waits until it answers.
     *
     * @param jar     the S3Mock executable jar ({@code target/tools/s3mock-5.2.0-exec.jar})
     * @param root    where it keeps objects; its log goes next to it
     * @param buckets buckets to create at start
     */
    public static LocalS3 start(Path jar, Path root, List<String> buckets) {
        return start(jar, root, buckets, 0);
    }

    /** Starts S3Mock on {@code httpPort} (0: any free port). */
    public static LocalS3 start(Path jar, Path root, List<String> buckets, int httpPort) {
        Objects.requireNonNull(jar, "jar == null");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock is not at " + jar + "; run mvn -DskipTests package first");
        }
        try {
            Files.createDirectories(root);
            int port = httpPort == 0 ? freePort() : httpPort;
            int managementPort = freePort();
            Path log = root.resolveSibling(root.getFileName() + ".log");
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xshare:auto",
                    "-jar", jar.toString(),
                    "--http.port=" + port,
                    "--server.port=" + managementPort,
                    "--com.adobe.testing.s3mock.store.root=" + root.toAbsolutePath(),
                    "--logging.level.root=WARN"));
            if (!buckets.isEmpty()) {
                command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets));
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
