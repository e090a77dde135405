package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.local.FileSystemStore;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import dev.postrenderer.testing.Traffic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What publishing costs on a site of 20,000 posts, in S3 requests and in bytes of state and
 * listing pages read and written, measured on S3Mock through an SDK interceptor that sees every
 * request. Figures go to {@code target/publish-cost.txt}; the README's table comes from there.
 *
 * <p>The site is built the fastest way: rendered into a folder in one batch, then uploaded. The
 * posts' own pages are left out of the upload: no request of the changes measured here reads them.
 */
@Timeout(1200)
class PublishCostIT {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final int SITE_SIZE = 20_000;
    private static final int TAGS = 40;
    private static final Path REPORT = Path.of("target/publish-cost.txt");
    private static final Traffic TRAFFIC = new Traffic();
    private static final S3Client RECORDING = S3.newClient(S3.endpoint(), TRAFFIC);
    private static final S3Client DIRECT = S3.client();
    private static String source;
    private static String site;
    private static SiteConfig config;
    private static PublishHandler handler;
    private static long sequencer = 0x100000;

    /** State and listing pages: what the budget covers (a post's own page and the feed are not). */
    private static final Predicate<Traffic.Request> STATE_AND_LISTINGS = request -> request.bucket().equals(site)
            && !request.key().startsWith("posts/") && !request.key().equals("feed.xml");

    @BeforeAll
    static void aSiteOfTwentyThousandPosts(@TempDir Path folder) throws Exception {
        source = S3.newBucket("source");
        site = S3.newBucket("site");
        config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site, "SITE_URL", "https://blog.example.com",
                "SITE_NAME", "Cost"));
        Path sources = folder.resolve("source");
        Random random = new Random(20_000);
        for (int i = 0; i < SITE_SIZE; i++) {
            write(sources.resolve(String.format("posts/p%05d.md", i)), post(i, LocalDate.of(2000, 1, 1)
                    .plusDays(i / 4), random));
        }
        long started = System.nanoTime();
        BatchResult built = new Publisher(new FileSystemStore(sources), new FileSystemStore(folder.resolve("site")),
                config).rebuild();
        assertThat(built.failed()).isEmpty();
        assertThat(built.rejected()).isEmpty();
        long buildMillis = (System.nanoTime() - started) / 1_000_000;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder.resolve("site"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> uploads = new ArrayList<>();
        for (Path file : files) {
            String key = folder.resolve("site").relativize(file).toString().replace('\\', '/');
            if (!key.startsWith("posts/")) {
                uploads.add(pool.submit(() -> DIRECT.putObject(b -> b.bucket(site).key(key),
                        RequestBody.fromFile(file))));
            }
        }
        for (Future<?> upload : uploads) {
            upload.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        handler = new PublishHandler(RECORDING, config, new PrintStream(new ByteArrayOutputStream(), true, UTF_8),
                "cost");
        Files.writeString(REPORT, String.format("a site of %d posts with %d tags, rendered into a folder in %d ms;"
                + " %d objects uploaded (the posts' pages left out)%n", SITE_SIZE, TAGS, buildMillis, uploads.size()));
    }

    /**
     * Forty new posts in a row, each with two existing tags. A post that only joins the front pages
     * of its listings takes at most 12 requests and 256 KB; a post whose batch also moves parts of
     * the state out of the root into a pack takes one more request (a pack write); a post that
     * closes a page (its listing's front page sheds its oldest posts onto an archive page) also
     * writes that page, its older neighbour's link, and for the front listing the page's sitemap
     * and the sitemap index.
     */
    @Test
    void aNewPostWithTwoExistingTagsTakesAtMostTwelveRequestsUnlessItClosesAPageOrSpillsState() throws IOException {
        List<String> lines = new ArrayList<>();
        List<Runnable> checks = new ArrayList<>();
        int plain = 0;
        int spills = 0;
        int closings = 0;
        long totalRequests = 0;
        long totalBytes = 0;
        int worstPlain = 0;
        long worstPlainBytes = 0;
        for (int n = 0; n < 40; n++) {
            Measure measure = publishNew("posts/new-" + n + ".md", LocalDate.of(2030, 1, 1).plusDays(n),
                    "t" + (n % TAGS), "t" + ((n + 7) % TAGS));
            totalRequests += measure.requests;
            totalBytes += measure.bytes;
            // a listing that closed a page wrote archive pages: its new page and its older neighbour
            long closed = TRAFFIC.all().stream().filter(request -> request.method().equals("PUT")
                    && request.key().contains("page/")).map(request -> request.key().substring(0,
                    request.key().indexOf("page/"))).distinct().count();
            boolean spill = TRAFFIC.all().stream().anyMatch(request -> request.method().equals("PUT")
                    && request.key().startsWith("_site/packs/"));
            String line = String.format("new post %2d: %2d requests, %6.1f KB of state and listings%s%s", n,
                    measure.requests, measure.bytes / 1024.0, closed > 0 ? ", closes a page in " + closed
                            + " listing(s)" : "", spill ? ", spills state into a pack" : "");
            lines.add(line + "  " + TRAFFIC.all());
            if (closed > 0) {
                closings++;
            } else if (spill) {
                spills++;
            } else {
                plain++;
                worstPlain = Math.max(worstPlain, measure.requests);
                worstPlainBytes = Math.max(worstPlainBytes, measure.bytes);
            }
            int allowedRequests = 12 + (spill ? 1 : 0) + 6 * (int) closed;
            long allowedBytes = 256 * 1024 + 128 * 1024 * closed;
            checks.add(() -> {
                assertThat(measure.requests).as(line).isLessThanOrEqualTo(allowedRequests);
                assertThat(measure.bytes).as(line).isLessThanOrEqualTo(allowedBytes);
            });
        }
        lines.add(String.format("40 new posts: %d joined front pages only (at most %d requests, %.1f KB), %d also"
                        + " spilled state into a pack (one more request), %d closed a page; on average %.2f requests"
                        + " and %.1f KB per new post", plain, worstPlain, worstPlainBytes / 1024.0, spills, closings,
                totalRequests / 40.0, totalBytes / 40.0 / 1024));
        Files.write(REPORT, lines, java.nio.file.StandardOpenOption.APPEND);
        checks.forEach(Runnable::run);
        assertThat(worstPlain).isLessThanOrEqualTo(12);
        assertThat(worstPlainBytes).isLessThanOrEqualTo(256 * 1024);
        assertThat(plain).as("posts that only join the front pages").isGreaterThan(closings + spills);
    }

    @Test
    void theFunctionPublishesANewPostIntoTheLargeSiteWithin256Megabytes(@TempDir Path folder) throws Exception {
        String key = "posts/in-256-mb.md";
        byte[] content = post(99_999, LocalDate.of(2031, 1, 1), new Random(1)).getBytes(UTF_8);
        DIRECT.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
        Path event = folder.resolve("event.json");
        Files.writeString(event, S3Events.event().put(source, key, content.length, ETags.of(content),
                Long.toHexString(++sequencer)).sqs());
        Path env = folder.resolve("env.json");
        Files.writeString(env, "{\"PublishFunction\":{\"SITE_BUCKET\":\"" + site + "\",\"SITE_URL\":"
                + "\"https://blog.example.com\",\"SITE_NAME\":\"Cost\",\"S3_ENDPOINT\":\"" + S3.endpoint() + "\"}}");
        ProcessBuilder builder = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/post-renderer.jar",
                "invoke", "--event", event.toString(), "--env-vars", env.toString(), "--memory", "256")
                .redirectErrorStream(true);
        builder.environment().put("S3_ENDPOINT", S3.endpoint().toString());
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        pump.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("invoke finishes").isTrue();
        pump.join();
        String printed = output.toString(UTF_8);
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).contains("\"action\":\"RENDERED\"", "Memory Size: 256 MB");
        Files.writeString(REPORT, "invoke --memory 256, a new post into the site: " + printed.lines()
                .filter(line -> line.startsWith("REPORT")).findFirst().orElse("") + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void aBlogUploadedAtOnceCostsAtMostThreeAndAHalfRequestsPerPost() throws Exception {
        String bulkSource = S3.newBucket("bulk-source");
        String bulkSite = S3.newBucket("bulk-site");
        SiteConfig bulk = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", bulkSite,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Bulk"));
        Traffic traffic = new Traffic();
        Random random = new Random(2);
        List<S3Events> batches = new ArrayList<>();
        int posts = 2_000;
        int batchSize = 500; // template.yaml: BatchSize
        for (int i = 0; i < posts; i++) {
            if (i % batchSize == 0) {
                batches.add(S3Events.event());
            }
            String key = String.format("posts/%04d.md", i);
            byte[] content = post(i, LocalDate.of(2015, 1, 1).plusDays(random.nextInt(3650)), random).getBytes(UTF_8);
            DIRECT.putObject(b -> b.bucket(bulkSource).key(key), RequestBody.fromBytes(content));
            batches.get(batches.size() - 1).put(bulkSource, key, content.length, ETags.of(content),
                    Long.toHexString(++sequencer));
        }
        // the template's MaximumConcurrency lets these batches run side by side
        ExecutorService pool = Executors.newFixedThreadPool(batches.size());
        List<Future<List<String>>> results = new ArrayList<>();
        for (S3Events batch : batches) {
            PublishHandler instance = new PublishHandler(S3.newClient(S3.endpoint(), traffic), bulk,
                    new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "bulk");
            results.add(pool.submit(() -> Invocations.invoke(instance, batch.sqs())));
        }
        for (Future<List<String>> result : results) {
            assertThat(result.get()).as("messages to retry").isEmpty();
        }
        pool.shutdown();
        double perPost = traffic.all().size() / (double) posts;
        Files.writeString(REPORT, String.format("bulk: %d posts with random dates in %d concurrent batches of %d:"
                        + " %d requests, %.2f per post%n", posts, batches.size(), batchSize, traffic.all().size(),
                perPost), java.nio.file.StandardOpenOption.APPEND);
        assertThat(perPost).isLessThanOrEqualTo(3.5);
        assertThat(dev.postrenderer.testing.PublishedState.posts(new S3ObjectStore(DIRECT, bulkSite))).hasSize(posts);
    }

    private record Measure(int requests, long bytes) {
    }

    private static Measure publishNew(String key, LocalDate date, String... tags) {
        byte[] content = ("---\ntitle: A new post " + key + "\ndate: " + date + "\ntags: [" + String.join(", ", tags)
                + "]\n---\nSomething new.\n").getBytes(UTF_8);
        DIRECT.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
        String event = S3Events.event().put(source, key, content.length, ETags.of(content),
                Long.toHexString(++sequencer)).sqs();
        TRAFFIC.clear();
        assertThat(Invocations.invoke(handler, event)).isEmpty();
        assertThat(DIRECT.headObject(b -> b.bucket(site).key(key.replace(".md", "/index.html"))).contentLength())
                .isPositive();
        return new Measure(TRAFFIC.all().size(), TRAFFIC.bytes(STATE_AND_LISTINGS));
    }

    private static String post(int i, LocalDate date, Random random) {
        return "---\ntitle: Post number " + i + "\ndescription: What post " + i + " is about, in a sentence or two"
                + " as authors write them.\ndate: " + date + "\ntags: [t" + random.nextInt(TAGS) + ", t"
                + random.nextInt(TAGS) + "]\n---\n\nThe body of post " + i + ", with a [link](p00001.md).\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static String listing() {
        return SiteState.FRONT;
    }
}
