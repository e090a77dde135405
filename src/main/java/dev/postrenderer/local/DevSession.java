package dev.postrenderer.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.postrenderer.aws.S3Clients;
import dev.postrenderer.aws.S3EventHandler;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.SiteConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole product on a laptop: a local S3 with a source and a site bucket, the folder uploaded
 * to the source, the function run for every S3 event those uploads produce (the same event JSON,
 * the same handler), the site bucket served like S3 website hosting, and the folder watched so
 * that every change or delete is published again. One line is printed per event.
 */
final class DevSession implements AutoCloseable {

    static final String SOURCE = "source";
    static final String SITE = "site";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Path folder;
    private final PrintWriter out;
    private final LocalS3 localS3;
    private final S3Client s3;
    private final S3EventHandler handler;
    private final PreviewServer preview;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 12);
    private final WatchService watcher;
    private final Thread watching;
    private final Map<WatchKey, Path> watched = new HashMap<>();
    private final ByteArrayOutputStream functionLog = new ByteArrayOutputStream();

    private DevSession(Path folder, Path s3Jar, Path storage, int port, Map<String, String> env, PrintWriter out)
            throws IOException {
        this.folder = folder.toAbsolutePath().normalize();
        this.out = out;
        this.localS3 = LocalS3.start(s3Jar, storage, List.of(SOURCE, SITE));
        try {
            this.s3 = S3Clients.local(localS3.endpoint());
            this.preview = new PreviewServer(s3, SITE, port);
            Map<String, String> settings = new HashMap<>(env);
            settings.put("SITE_BUCKET", SITE);
            settings.putIfAbsent("SITE_URL", preview.address().toString());
            SiteConfig config = SiteConfig.fromEnvironment(settings);
            this.handler = new S3EventHandler(s3, config, new PrintStream(functionLog, true, StandardCharsets.UTF_8), "dev");
            this.watcher = FileSystems.getDefault().newWatchService();
        } catch (RuntimeException | IOException e) {
            localS3.close();
            throw e;
        }
        this.watching = new Thread(this::watch, "watch");
        this.watching.setDaemon(true);
    }

    /**
     * Starts everything and publishes the folder.
     *
     * @param port the preview port, 0 for any free one
     */
    static DevSession start(Path folder, Path s3Jar, Path storage, int port, Map<String, String> env, PrintWriter out)
            throws IOException {
        DevSession session = new DevSession(folder, s3Jar, storage, port, env, out);
        try {
            session.publishFolder();
            session.registerTree(session.folder);
            session.watching.start();
            return session;
        } catch (RuntimeException | IOException e) {
            session.close();
            throw e;
        }
    }

    /** Where the site is served. */
    URI address() {
        return preview.address();
    }

    /** The local S3 endpoint, for the AWS CLI. */
    URI s3Endpoint() {
        return localS3.endpoint();
    }

    private void publishFolder() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                created(file);
            }
        }
    }

    private void created(Path file) {
        String key = key(file);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return; // gone again before we could read it: its delete follows
        }
        PutObjectResponse response = s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromBytes(content));
        String etag = response.eTag().replace("\"", "");
        handle("created", key, LocalEvents.put(SOURCE, key, content.length, etag, nextSequencer()));
    }

    private void deleted(String key) {
        s3.deleteObject(b -> b.bucket(SOURCE).key(key));
        handle("deleted", key, LocalEvents.delete(SOURCE, key, nextSequencer()));
    }

    /** Runs the function on one event, one at a time, and prints what it did, from its own log line. */
    private synchronized void handle(String change, String key, String eventJson) {
        functionLog.reset();
        long started = System.nanoTime();
        String failure = null;
        try {
            handler.handleRequest(LocalEvents.load(eventJson), null);
        } catch (RuntimeException e) {
            failure = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        String what = failure != null ? "FAILED " + failure : describe(functionLog.toString(StandardCharsets.UTF_8));
        out.printf("%s %-8s %-40s %s (%d ms)%n", LocalTime.now().format(TIME), change, SourceKey.printable(key), what,
                millis);
        out.flush();
    }

    /** The function's JSON log line, for a reader: {@code RENDERED posts/a/index.html}, or the reason a post was rejected. */
    private static String describe(String log) {
        String[] lines = log.strip().split("\n");
        Map<String, String> fields = new HashMap<>();
        try (JsonParser json = JSON.createParser(lines[lines.length - 1])) {
            if (json.nextToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    if (json.nextToken().isScalarValue()) {
                        fields.put(name, json.getText());
                    } else {
                        json.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            return log.strip();
        }
        if ("permanent_failure".equals(fields.get("outcome"))) {
            return "REJECTED " + fields.getOrDefault("reason", "");
        }
        return fields.getOrDefault("action", "?") + (fields.containsKey("siteKey") ? " " + fields.get("siteKey") : "");
    }

    private String nextSequencer() {
        return String.format("%016X", sequencer.incrementAndGet());
    }

    private String key(Path file) {
        return folder.relativize(file.toAbsolutePath().normalize()).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                WatchKey key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                watched.put(key, dir);
            }
        }
    }

    /** Collects changes until the folder is quiet for a moment, then publishes each changed path once. */
    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Set<Path> changed = new TreeSet<>();
                collect(key, changed);
                for (WatchKey more = watcher.poll(300, TimeUnit.MILLISECONDS); more != null;
                     more = watcher.poll(300, TimeUnit.MILLISECONDS)) {
                    collect(more, changed);
                }
                for (Path path : changed) {
                    publishChange(path);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        Path dir = watched.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (dir != null && event.context() instanceof Path name) {
                changed.add(dir.resolve(name));
            }
        }
        if (!key.reset()) {
            watched.remove(key);
        }
    }

    private void publishChange(Path path) {
        try {
            if (Files.isDirectory(path)) {
                registerTree(path);
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).sorted().forEach(this::created);
                }
            } else if (Files.isRegularFile(path)) {
                created(path);
            } else {
                // a file, or a whole folder, is gone: delete every key under it
                String key = key(path);
                List<String> gone = s3.listObjectsV2Paginator(b -> b.bucket(SOURCE).prefix(key)).contents().stream()
                        .map(S3Object::key).filter(k -> k.equals(key) || k.startsWith(key + "/")).toList();
                gone.forEach(this::deleted);
            }
        } catch (IOException | RuntimeException e) {
            out.println("error: " + path + ": " + e.getMessage());
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (preview != null) {
                preview.close();
            }
            localS3.close();
        }
    }

}
