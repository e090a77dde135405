package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.testing.Cli;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.MemoryBuckets;
import dev.postrenderer.testing.MemoryStore;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3AccessLog;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import dev.postrenderer.testing.SqsBatching;
import dev.postrenderer.local.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.IntStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What publishing costs on a site built the way users build it: the posts uploaded, then published
 * through the function's own batches, with the settings the template deploys ({@code SITE_URL}
 * set, so the feed is on). The batches are the ones the template's SQS trigger makes of an upload
 * at {@value #UPLOADS_PER_SECOND} posts a second ({@link SqsBatching}: its batching window, batch
 * size and maximum concurrency), each handled by a fresh function instance. New posts are then
 * published by the deployed function itself, through {@code invoke}. Every request is counted from
 * S3Mock's own access log. The site sizes are {@value #SIZE_PROPERTY}, a comma-separated list (1,000
 * posts by default; {@code ./verify.sh --scale} builds 2,000 and 20,000); the figures go to
 * {@code target/publish-cost.txt}.
 */
@org.junit.jupiter.api.Order(1) // among the longest: started first
@Timeout(3600)
class PublishCostIT {

    static final String SIZE_PROPERTY = "cost.posts";
    private static final int TAGS = 40;
    /**
     * How fast a bulk upload's notifications arrive: {@code aws s3 sync} sends ten requests at once,
     * about a tenth of a second each from a home connection.
     */
    private static final double UPLOADS_PER_SECOND = 100;
    private static final Trigger TRIGGER = Trigger.fromTemplate(Path.of("template.yaml"));
    /** Sites larger than this are built on the in-memory store (see {@link #buildInMemory}). */
    private static final int S3MOCK_BUILD_LIMIT = 5_000;
    private static final int NEW_POSTS = 10;
    /** The access key invoke's credentials endpoint serves when the shell has none: the function's requests carry it. */
    private static final String FUNCTION_KEY = "defaultkey";
    private static final Path REPORT = Path.of("target/publish-cost.txt");
    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client DIRECT = S3.client();
    private static final String BODY = ("A paragraph as bloggers write them, with *emphasis*, a [link](p00001.md) and"
            + " `code`. ").repeat(12) + "\n\n";
    private static final Map<Integer, Site> SITES = new TreeMap<>();
    private static final Map<Integer, Throwable> FAILED_BUILDS = new TreeMap<>();
    private static final AtomicLong SEQUENCER = new AtomicLong(0x100000);

    @TempDir
    static Path work;

    static List<Integer> sizes() {
        return Arrays.stream(System.getProperty(SIZE_PROPERTY, "1000").split(",")).map(String::trim)
                .map(Integer::valueOf).toList();
    }

    /** The sizes up to a 2,000-post blog, which the bulk budget is for. */
    static List<Integer> blogSizes() {
        return sizes().stream().filter(size -> size <= 2_000).toList();
    }

    @BeforeAll
    static void startTheReport() throws IOException {
        Files.writeString(REPORT, "");
    }

    /**
     * A site of {@code size} posts in buckets of its own, and what building it cost.
     *
     * @param functionRequests the requests the function's batches made to both buckets
     * @param lostWrites       conditional writes among them that lost (412)
     */
    private record Site(int size, String source, String site, Path env, long functionRequests, long lostWrites) {
    }

    /** The site of that size, built through the function's batches the first time it is asked for. */
    private static synchronized Site site(int size) throws Exception {
        Site site = SITES.get(size);
        if (site == null) {
            if (FAILED_BUILDS.containsKey(size)) {
                throw new IllegalStateException("building the " + size + "-post site failed", FAILED_BUILDS.get(size));
            }
            try {
                site = build(size);
            } catch (Exception | AssertionError e) {
                FAILED_BUILDS.put(size, e); // the other tests of that size report it rather than build again
                throw e;
            }
            SITES.put(size, site);
        }
        return site;
    }

    private static Site build(int size) throws Exception {
        String source = S3.newBucket("cost-source");
        String site = S3.newBucket("cost-site");
        Path env = Files.writeString(work.resolve("env-" + size + ".json"), "{\"PublishFunction\":{\"SITE_BUCKET\":\""
                + site + "\",\"SITE_URL\":\"https://blog.example.com\",\"SITE_NAME\":\"Cost\",\"S3_ENDPOINT\":\""
                + S3.endpoint() + "\"}}");
        return size <= S3MOCK_BUILD_LIMIT ? buildOnS3Mock(size, source, site, env) : buildInMemory(size, source, site, env);
    }

    /** The site built through the function's batches against S3Mock, every request counted from its log. */
    private static Site buildOnS3Mock(int size, String source, String site, Path env) throws Exception {
        Random random = new Random(size);
        List<S3Events.Put> uploads = new ArrayList<>();
        ExecutorService uploaders = Executors.newFixedThreadPool(10); // as aws s3 sync sends them
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String key = String.format("posts/p%05d.md", i);
            byte[] content = post(i, random);
            sent.add(uploaders.submit(() -> DIRECT.putObject(b -> b.bucket(source).key(key),
                    RequestBody.fromBytes(content))));
            uploads.add(new S3Events.Put(source, key, content.length, ETags.of(content),
                    Long.toHexString(SEQUENCER.incrementAndGet())));
        }
        for (Future<?> upload : sent) {
            upload.get();
        }
        uploaders.shutdown();
        long mark = S3.accessLog().mark();
        Published published = publish(uploads, site, null);
        List<S3AccessLog.Entry> built = S3.accessLog().since(mark, entry -> entry.bucket().equals(site)
                || entry.bucket().equals(source));
        assertThat(PublishedState.posts(new S3ObjectStore(DIRECT, site))).hasSize(size);
        published.report(size, built.size(), "from S3Mock's log");
        append(breakdown(built.stream().filter(entry -> entry.bucket().equals(site)).toList()));
        return new Site(size, source, site, env, built.size(), built.stream().filter(e -> e.status() == 412).count());
    }

    /**
     * The site built through the same batches against the in-memory store with S3's semantics
     * ({@link ObjectStoreContract}): S3Mock's PUTs slow down as a bucket grows (measured: 30 a second
     * at 15,000 keys, so that 20,000 uploads alone took over 12 minutes), which makes a 20,000-post
     * build on it impractical here. Then the state and every page but the posts' own are copied into
     * the S3Mock site bucket, which is all the new posts' publishing reads or writes over.
     */
    private static Site buildInMemory(int size, String source, String site, Path env) throws Exception {
        MemoryBuckets buckets = new MemoryBuckets();
        Random random = new Random(size);
        List<S3Events.Put> uploads = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String key = String.format("posts/p%05d.md", i);
            byte[] content = post(i, random);
            buckets.bucket(source).upload(key, content);
            uploads.add(new S3Events.Put(source, key, content.length, ETags.of(content),
                    Long.toHexString(SEQUENCER.incrementAndGet())));
        }
        Published published = publish(uploads, site, buckets);
        MemoryStore built = buckets.bucket(site);
        long requests = built.requests().values().stream().mapToLong(Integer::longValue).sum()
                - built.requests("412") + buckets.bucket(source).requests().values().stream().mapToLong(Integer::longValue).sum();
        assertThat(PublishedState.posts(built)).hasSize(size);
        published.report(size, requests, "by the in-memory store");
        built.copyInto(new S3ObjectStore(DIRECT, site), key -> !key.startsWith("posts/"));
        return new Site(size, source, site, env, requests, built.requests("412"));
    }

    /** How publishing the upload's batches went. */
    private record Published(List<SqsBatching.Batch> plan, long millis) {

        void report(int size, long requests, String countedBy) {
            append(String.format("a site of %d posts with %d tags, uploaded at %.0f posts/s: the template's trigger"
                            + " (window %.0f s, batches of up to %d, %d at a time) makes %d batches %s; published here in"
                            + " %d ms: %d requests (counted %s), %.2f per post; on Lambda, at %s, the last page is out"
                            + " %.0f s after the first upload", size, TAGS, UPLOADS_PER_SECOND, TRIGGER.windowSeconds(),
                    TRIGGER.batchSize(), TRIGGER.concurrency(), plan.size(), sizes(plan), millis, requests, countedBy,
                    requests / (double) size, Trigger.HANDLING,
                    plan.stream().mapToDouble(SqsBatching.Batch::finished).max().orElse(0)));
        }
    }

    /**
     * Publishes the uploads in the batches the template's trigger makes of them, each batch by a
     * function instance of its own, at most the trigger's concurrency at once.
     *
     * @param memory the buckets by name, or null for S3Mock
     */
    private static Published publish(List<S3Events.Put> uploads, String site,
                                     java.util.function.Function<String, ObjectStore> memory) throws Exception {
        double[] arrivals = IntStream.range(0, uploads.size()).mapToDouble(i -> i / UPLOADS_PER_SECOND).toArray();
        List<SqsBatching.Batch> plan = TRIGGER.batching().batches(arrivals);
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Cost"));
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(TRIGGER.concurrency());
        List<Future<List<String>>> results = new ArrayList<>();
        for (SqsBatching.Batch batch : plan) { // in the order the pollers invoke them
            S3Events event = S3Events.event();
            batch.messages().forEach(i -> event.put(uploads.get(i)));
            PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, UTF_8);
            PublishHandler instance = memory == null ? new PublishHandler(S3.newClient(), config, quiet, "cost")
                    : new PublishHandler(memory, config, quiet, "cost");
            results.add(pool.submit(() -> Invocations.invoke(instance, event.sqs())));
        }
        for (Future<List<String>> result : results) {
            assertThat(result.get()).as("messages to retry").isEmpty();
        }
        pool.shutdown();
        return new Published(plan, (System.nanoTime() - started) / 1_000_000);
    }

    /** The requests by what they touched, method and status, one line each. */
    private static String breakdown(List<S3AccessLog.Entry> entries) {
        Map<String, Long> counts = new TreeMap<>();
        for (S3AccessLog.Entry entry : entries) {
            String key = entry.key();
            String kind = key.startsWith("_site/packs/") ? "_site/packs/*" : key.startsWith("posts/") ? "posts/*"
                    : key.startsWith("tags/") ? "tags/*" : key.startsWith("sitemaps/") ? "sitemaps/*"
                    : key.startsWith("page/") ? "page/*" : key;
            counts.merge(String.format("    %-6s %-16s %d", entry.method(), kind, entry.status()), 1L, Long::sum);
        }
        StringBuilder lines = new StringBuilder();
        counts.forEach((line, count) -> lines.append(line).append(": ").append(count).append('\n'));
        return lines.toString().stripTrailing();
    }

    private static String sizes(List<SqsBatching.Batch> plan) {
        return plan.size() > 12 ? "" : plan.stream().map(batch -> batch.messages().size()).toList().toString();
    }

    /**
     * The SQS trigger as template.yaml configures it: batch size, maximum concurrency and the
     * batching window's default.
     */
    private record Trigger(int batchSize, int concurrency, double windowSeconds) {

        /**
         * How long the deployed function takes for a batch, for the pollers' model: measured with
         * {@code invoke} at 512 MB, a 400-post batch took 6.8 s (InvokeTimeoutIT's batch, run alone).
         */
        static final double HANDLING_SECONDS = 1.0;
        static final double HANDLING_SECONDS_PER_POST = 0.015;
        static final String HANDLING = String.format("%.0f s + %.0f ms per post", HANDLING_SECONDS,
                HANDLING_SECONDS_PER_POST * 1000);

        static Trigger fromTemplate(Path file) {
            try {
                JsonNode template = new ObjectMapper().valueToTree(SamTemplate.read(file).asMap());
                JsonNode properties = template.path("Resources").path("PublishFunction").path("Properties")
                        .path("Events").path("SourceChanged").path("Properties");
                String window = properties.path("MaximumBatchingWindowInSeconds").path("Ref").asText();
                return new Trigger(properties.path("BatchSize").asInt(),
                        properties.path("ScalingConfig").path("MaximumConcurrency").asInt(),
                        template.path("Parameters").path(window).path("Default").asDouble());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        SqsBatching batching() {
            return new SqsBatching(concurrency, windowSeconds, batchSize, posts -> HANDLING_SECONDS + HANDLING_SECONDS_PER_POST * posts);
        }
    }

    /**
     * A blog of up to 2,000 posts uploaded at once, the budget's case. Concurrent batches contend for
     * the state: a batch that loses a commit reads it again (the 412s), within the budget. Larger
     * migrations cost more per post, and their figure is reported with the build: each batch of
     * randomly dated posts lands on archive pages all over a long history (a 20,000-post site: 5.8).
     */
    @ParameterizedTest(name = "{0} posts")
    @MethodSource("blogSizes")
    void aBlogUploadedAtOnceCostsAtMostThreeAndAHalfRequestsPerPost(int size) throws Exception {
        Site site = site(size);
        append(String.format("  %d posts: %d requests, %.2f per post; %d lost conditional writes", size,
                site.functionRequests(), site.functionRequests() / (double) size, site.lostWrites()));
        assertThat(site.functionRequests() / (double) size).as("requests per post, the feed's included")
                .isLessThanOrEqualTo(3.5);
    }

    /**
     * Ten new posts in a row, each the newest, published by the deployed function through
     * {@code invoke}: besides the feed's one read and one write, at most twelve requests and 256 KB
     * of state and listings for a post that joins the front pages of its listings; a post that closes
     * a page (its listing's front page sheds its oldest posts onto a new archive page) also writes
     * that page and its older neighbour's links, and for the front listing the month's sitemap (and
     * the sitemap index for a new month). No request reads another post's source, and none fails a
     * condition.
     */
    @ParameterizedTest(name = "{0} posts")
    @MethodSource("sizes")
    void tenNewPostsEachCostTwelveRequestsBesidesTheFeedUnlessTheyClosePages(int size) throws Exception {
        Site site = site(size);
        List<String> lines = new ArrayList<>();
        List<Runnable> checks = new ArrayList<>();
        List<Measure> measures = publishNewPosts(site);
        for (int n = 0; n < NEW_POSTS; n++) {
            String key = "posts/new-" + n + ".md";
            Measure measure = measures.get(n);
            String line = measure.describe(size, n);
            lines.add(line);
            checks.add(() -> {
                assertThat(measure.source()).as(line).extracting(S3AccessLog.Entry::key).containsExactly(key);
                assertThat(measure.site()).as(line).noneMatch(entry -> entry.status() == 412);
                assertThat(measure.feed()).as(line).extracting(S3AccessLog.Entry::method).containsExactly("GET", "PUT");
                assertThat(measure.requestsBesidesFeed()).as(line)
                        .isLessThanOrEqualTo(12 + 3 * measure.closedPages() + (measure.newMonth() ? 1 : 0));
                assertThat(measure.stateAndListingBytes()).as(line)
                        .isLessThanOrEqualTo(256 * 1024 + 128 * 1024 * measure.closedPages());
            });
        }
        lines.forEach(PublishCostIT::append);
        checks.forEach(Runnable::run);
    }

    @ParameterizedTest(name = "{0} posts")
    @MethodSource("sizes")
    void theFunctionPublishesANewPostIntoTheSiteWithin256Megabytes(int size) throws Exception {
        Site site = site(size);
        String key = "posts/in-256-mb.md";
        byte[] content = post(99_999, LocalDate.of(2031, 1, 1), "t1", "t2");
        DIRECT.putObject(b -> b.bucket(site.source()).key(key), RequestBody.fromBytes(content));
        Path event = Files.writeString(work.resolve("event-256-" + size + ".json"), S3Events.event().put(site.source(),
                key, content.length, ETags.of(content), Long.toHexString(SEQUENCER.incrementAndGet())).sqs());

        String printed = invoke(site, List.of(event), "--memory", "256");

        assertThat(printed).contains("\"action\":\"RENDERED\"", "Memory Size: 256 MB", "{\"batchItemFailures\":[]}");
        append("invoke --memory 256, a new post into the " + size + "-post site: " + report(printed));
    }

    private static synchronized void append(String line) {
        try {
            Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The requests of one new post, published by the deployed function. */
    private record Measure(List<S3AccessLog.Entry> source, List<S3AccessLog.Entry> site, String report) {

        List<S3AccessLog.Entry> feed() {
            return site.stream().filter(entry -> entry.key().equals("feed.xml")).toList();
        }

        int requestsBesidesFeed() {
            return source.size() + site.size() - feed().size();
        }

        /** Archive pages written anew (a listing closed a page onto them), and their neighbours. */
        int closedPages() {
            long written = site.stream().filter(entry -> entry.method().equals("PUT") && entry.key().contains("page/")
                    && entry.key().endsWith("index.html")).count();
            return (int) (written + 1) / 2; // a listing's first archive page has no neighbour
        }

        boolean newMonth() {
            return site.stream().anyMatch(entry -> entry.method().equals("PUT") && entry.key().equals("sitemap.xml"));
        }

        long stateAndListingBytes() {
            return site.stream().filter(entry -> !entry.key().startsWith("posts/") && !entry.key().equals("feed.xml"))
                    .mapToLong(S3AccessLog.Entry::bytes).sum();
        }

        String describe(int size, int n) {
            return String.format("%d posts, new post %d: %d requests besides the feed's %d, %.1f KB of state and"
                            + " listings%s; %s  %s", size, n, requestsBesidesFeed(), feed().size(), stateAndListingBytes() / 1024.0,
                    closedPages() > 0 ? ", closes " + closedPages() + " page(s)" : "", report,
                    new ArrayList<Object>(source) + " " + site);
        }
    }

    /**
     * Publishes the ten new posts one after another, each the newest, by the deployed function: one
     * {@code invoke} with an event per post, which one environment handles in turn as Lambda hands a
     * warm environment its next event (restored from the snapshot for the first). Each post's
     * requests are the function's from its read of the state up to the next post's.
     */
    private static List<Measure> publishNewPosts(Site site) throws Exception {
        List<Path> events = new ArrayList<>();
        for (int n = 0; n < NEW_POSTS; n++) {
            String key = "posts/new-" + n + ".md";
            byte[] content = post(-1, LocalDate.of(2030, 1, 1).plusDays(n), "t" + (n % TAGS), "t" + ((n + 7) % TAGS));
            DIRECT.putObject(b -> b.bucket(site.source()).key(key), RequestBody.fromBytes(content));
            events.add(Files.writeString(Files.createTempFile(work, "event", ".json"), S3Events.event().put(site.source(),
                    key, content.length, ETags.of(content), Long.toHexString(SEQUENCER.incrementAndGet())).sqs()));
        }
        long mark = S3.accessLog().mark();
        String printed = invoke(site, events);
        assertThat(count(printed, "\"action\":\"RENDERED\"")).as(printed).isEqualTo(NEW_POSTS);
        assertThat(count(printed, "{\"batchItemFailures\":[]}")).as(printed).isEqualTo(NEW_POSTS);
        List<String> reports = printed.lines().filter(line -> line.startsWith("REPORT")).toList();
        // the function's requests: signed with the credentials invoke's endpoint serves, not the test's
        List<S3AccessLog.Entry> requests = S3.accessLog().since(mark, entry -> byFunction(entry)
                && (entry.bucket().equals(site.source()) || entry.bucket().equals(site.site())));
        // each post's publishing starts by reading the state, once, as a lone writer's never loses its commit
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).method().equals("GET") && requests.get(i).key().equals(StateStore.ROOT)) {
                starts.add(i);
            }
        }
        assertThat(starts).as("state reads, one per post: " + requests).hasSize(NEW_POSTS);
        starts.set(0, 0);
        List<Measure> measures = new ArrayList<>();
        int from = 0;
        for (int n = 0; n < NEW_POSTS; n++) {
            int to = n + 1 < NEW_POSTS ? starts.get(n + 1) : requests.size();
            List<S3AccessLog.Entry> own = requests.subList(from, to);
            measures.add(new Measure(own.stream().filter(entry -> entry.bucket().equals(site.source())).toList(),
                    own.stream().filter(entry -> entry.bucket().equals(site.site())).toList(),
                    n < reports.size() ? reports.get(n) : "(no REPORT line)"));
            from = to;
        }
        return measures;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static boolean byFunction(S3AccessLog.Entry entry) {
        return entry.accessKeyId().filter(FUNCTION_KEY::equals).isPresent();
    }

    private static String report(String printed) {
        return printed.lines().filter(line -> line.startsWith("REPORT")).findFirst().orElse("(no REPORT line)");
    }

    /** The deployed function, as invoke runs it: a fresh JVM, restored from its SnapStart snapshot, given these events in turn. */
    private static String invoke(Site site, List<Path> events, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("invoke", "--env-vars", site.env().toString()));
        events.forEach(event -> arguments.addAll(List.of("--event", event.toString())));
        arguments.addAll(List.of(options));
        Cli.Result result = Cli.run(arguments, Map.of());
        String printed = result.output();
        assertThat(result.status()).as(printed).isZero();
        return printed;
    }

    /** Post {@code i} of a site, its date and tags drawn from {@code random}. */
    private static byte[] post(int i, Random random) {
        return post(i, LocalDate.of(2000, 1, 1).plusDays(random.nextInt(9000)), "t" + random.nextInt(TAGS),
                "t" + random.nextInt(TAGS));
    }

    private static byte[] post(int i, LocalDate date, String... tags) {
        return ("---\ntitle: " + (i < 0 ? "A new post" : "Post number " + i) + "\ndescription: What the post is"
                + " about, in a sentence or two as authors write them.\ndate: " + date + "\nauthor: Ada Park\ntags: ["
                + String.join(", ", tags) + "]\n---\n\n" + BODY.repeat(8)).getBytes(UTF_8);
    }
}
