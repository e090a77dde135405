package dev.postrenderer.local;

import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import dev.postrenderer.aws.S3Clients;
import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.SiteConfig;
import java.io.ByteArrayInputStream;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** The queue the local events pretend to come from. */
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:post-renderer-dev";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Path folder;
    private final PrintWriter out;
    private final LocalS3 localS3;
    private final S3Client s3;
    private final PublishHandler handler;
    private final PreviewServer preview;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 12);
    private final WatchService watcher;
    private final Thread watching;
    private final Map<WatchKey, Path> watched = new HashMap<>();
    private final ByteArrayOutputStream functionLog = new ByteArrayOutputStream();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Where a session works.
     *
     * @param folder  the folder laid out like the source bucket
     * @param s3Jar   S3Mock's executable jar
     * @param storage where S3Mock keeps its objects
     * @param port    the preview port, 0 for any free one
     * @param s3Port  the local S3's port, 0 for any free one
     */
    record Setup(Path folder, Path s3Jar, Path storage, int port, int s3Port) {
    }

    private DevSession(Setup setup, Map<String, String> env, PrintWriter out) throws IOException {
        this.folder = setup.folder().toAbsolutePath().normalize();
        this.out = out;
        // the preview port first: if it is taken, nothing else is started
        this.preview = new PreviewServer(SITE, setup.port());
        try {
            this.localS3 = LocalS3.start(setup.s3Jar(), setup.storage(), List.of(SOURCE, SITE), setup.s3Port());
        } catch (RuntimeException e) {
            preview.close();
            throw e;
        }
        try {
            this.s3 = S3Clients.local(localS3.endpoint());
            preview.start(s3);
            Map<String, String> settings = new HashMap<>(env);
            settings.put("SITE_BUCKET", SITE);
            settings.putIfAbsent("SITE_URL", preview.address().toString());
            SiteConfig config = SiteConfig.fromEnvironment(settings);
            this.handler = new PublishHandler(s3, config, new PrintStream(functionLog, true, StandardCharsets.UTF_8), "dev");
            this.watcher = FileSystems.getDefault().newWatchService();
        } catch (RuntimeException | IOException e) {
            preview.close();
            localS3.close();
            throw e;
        }
        this.watching = new Thread(this::watch, "watch");
        this.watching.setDaemon(true);
    }

    /** Starts everything and publishes the folder. */
    static DevSession start(Setup setup, Map<String, String> env, PrintWriter out) throws IOException {
        DevSession session = new DevSession(setup, env, out);
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
            List<Change> changes = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                created(file).ifPresent(changes::add);
            }
            handle(changes);
        }
    }

    /** One change to the source bucket, and the S3 notification it makes. */
    private record Change(String what, String key, String notification) {
    }

    /** Uploads a file to the source bucket, as an author would; empty if it is gone again. */
    private Optional<Change> created(Path file) {
        String key = key(file);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // gone again before we could read it: its delete follows
        }
        PutObjectResponse response = s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromBytes(content));
        String etag = response.eTag().replace("\"", "");
        return Optional.of(new Change("created", key, LocalEvents.put(SOURCE, key, content.length, etag,
                nextSequencer())));
    }

    private Change deleted(String key) {
        s3.deleteObject(b -> b.bucket(SOURCE).key(key));
        return new Change("deleted", key, LocalEvents.delete(SOURCE, key, nextSequencer()));
    }

    /**
     * Runs the function on the changes as one SQS batch, as the deployed queue delivers them, one
     * batch at a time, and prints what it did per key, from its own log lines.
     */
    private synchronized void handle(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        functionLog.reset();
        long started = System.nanoTime();
        String failure = null;
        String event = LocalEvents.sqs(changes.stream().map(Change::notification).toList(), QUEUE_ARN);
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
        } catch (IOException | RuntimeException e) {
            failure = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, String> outcomes = describe(functionLog.toString(StandardCharsets.UTF_8));
        for (Change change : changes) {
            String what = failure != null ? "FAILED " + failure
                    : outcomes.getOrDefault(SourceKey.printable(change.key()), "?");
            out.printf("%s %-8s %-40s %s (%d ms)%n", LocalTime.now().format(TIME), change.what(),
                    SourceKey.printable(change.key()), what, millis);
        }
        out.flush();
    }

    /** The function's JSON log lines, for a reader, by key: {@code RENDERED posts/a/index.html}, or why a post was rejected. */
    private static Map<String, String> describe(String log) {
        Map<String, String> byKey = new HashMap<>();
        for (String line : log.strip().split("\n")) {
            Map<String, String> fields = new HashMap<>();
            try (JsonParser json = JSON.createParser(line)) {
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
                continue; // not a log line of the function's
            }
            String key = fields.get("key");
            if (key == null) {
                continue;
            }
            if ("permanent_failure".equals(fields.get("outcome"))) {
                byKey.put(key, "REJECTED " + fields.getOrDefault("reason", ""));
            } else if ("transient_failure".equals(fields.get("outcome"))) {
                byKey.put(key, "FAILED " + fields.getOrDefault("error", ""));
            } else {
                byKey.put(key, fields.getOrDefault("action", "?")
                        + (fields.containsKey("siteKey") ? " " + fields.get("siteKey") : ""));
            }
        }
        return byKey;
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
                List<Change> changes = new ArrayList<>();
                for (Path path : changed) {
                    publishChange(path, changes);
                }
                handle(changes);
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

    private void publishChange(Path path, List<Change> changes) {
        try {
            if (Files.isDirectory(path)) {
                registerTree(path);
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).sorted().forEach(file -> created(file).ifPresent(changes::add));
                }
            } else if (Files.isRegularFile(path)) {
                created(path).ifPresent(changes::add);
            } else {
                // a file, or a whole folder, is gone: delete every key under it
                String key = key(path);
                List<String> gone = s3.listObjectsV2Paginator(b -> b.bucket(SOURCE).prefix(key)).contents().stream()
                        .map(S3Object::key).filter(k -> k.equals(key) || k.startsWith(key + "/")).toList();
                gone.forEach(k -> changes.add(deleted(k)));
            }
        } catch (IOException | RuntimeException e) {
            out.println("error: " + path + ": " + e.getMessage());
            out.flush();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            preview.close();
            localS3.close();
        }
    }

}
