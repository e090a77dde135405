package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.testing.FaultyS3Proxy;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import dev.postrenderer.testing.SiteWalk;
import dev.postrenderer.testing.Traffic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A blog migrated by uploading all its posts at once: 2,000 posts, their S3 notifications
 * delivered through a simulated SQS queue to 64 concurrent function instances in batches, with
 * SQS's semantics (messages a batch names as failed come back; after five receives a message goes
 * to the dead-letter queue), and in a second run with 5 % of all S3 requests failing (500, 503
 * SlowDown, resets). Nothing may end in the dead-letter queue; every post must be published at
 * its latest version, reachable from the front page, in the sitemap, and in the state. The rates
 * and costs go to {@code target/load.txt}.
 */
@org.junit.jupiter.api.Order(3) // among the longest: started first
class LoadTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client direct = S3.client();
    private static final int POSTS = Integer.getInteger("load.posts", 2_000);
    private static final int INSTANCES = Integer.getInteger("load.instances", 64);
    private static final int BATCH_SIZE = 100;
    private static final int MAX_RECEIVES = 5;

    /** A message as the queue holds it. */
    private record Message(String id, String body, int receives) {
    }

    @ParameterizedTest(name = "{0} of S3 requests failing")
    @org.junit.jupiter.params.provider.MethodSource("faultRates")
    @Timeout(900)
    void twoThousandPostsFromSixtyFourInstancesAllArePublished(double faultRate) throws Exception {
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Load"));
        Random random = new Random(2_000);
        Map<String, String> titles = new ConcurrentHashMap<>();
        LinkedBlockingDeque<Message> queue = new LinkedBlockingDeque<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            keys.add(String.format("posts/%04d-%s.md", i, Long.toHexString(random.nextLong() & 0xFFFFFF)));
        }
        // a migration uploads in key order, and the posts' dates have nothing to do with it
        long sequencer = 0x10000;
        for (String key : keys) {
            String title = "Post " + key;
            byte[] content = ("---\ntitle: " + title + "\ndate: " + LocalDate.of(2019, 1, 1).plusDays(random.nextInt(2000))
                    + "\ntags: [t" + random.nextInt(20) + ", t" + (20 + random.nextInt(10)) + "]\n---\nThe body of "
                    + key + ".\n").getBytes(UTF_8);
            direct.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
            titles.put(key, title);
            String notification = S3Events.event().put(source, key, content.length, ETags.of(content),
                    Long.toHexString(++sequencer)).json();
            queue.add(new Message("m" + queue.size(), notification, 0));
        }

        ConcurrentLinkedQueue<Message> deadLetters = new ConcurrentLinkedQueue<>();
        AtomicInteger invocations = new AtomicInteger();
        AtomicInteger redelivered = new AtomicInteger();
        Traffic traffic = new Traffic();
        long millis;
        int injected;
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            if (faultRate > 0) {
                proxy.failRandomly(faultRate, 42);
            }
            ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
            List<Future<?>> instances = new ArrayList<>();
            long started = System.nanoTime();
            AtomicInteger outstanding = new AtomicInteger(queue.size());
            for (int i = 0; i < INSTANCES; i++) {
                S3Client client = S3.newClient(proxy.endpoint(), traffic);
                PublishHandler handler = new PublishHandler(client, config,
                        new PrintStream(OutputStreamSink.INSTANCE, true, UTF_8), "load-" + i);
                instances.add(pool.submit(() -> {
                    while (outstanding.get() > 0) {
                        List<Message> batch = receive(queue);
                        if (batch.isEmpty()) {
                            Thread.sleep(20);
                            continue;
                        }
                        invocations.incrementAndGet();
                        List<ObjectNode> messages = new ArrayList<>();
                        batch.forEach(message -> messages.add(S3Events.message(message.id(), message.body())));
                        Set<String> failed = new HashSet<>(Invocations.invoke(handler, S3Events.sqs(messages)));
                        for (Message message : batch) {
                            if (!failed.contains(message.id())) {
                                outstanding.decrementAndGet();
                            } else if (message.receives() + 1 >= MAX_RECEIVES) {
                                deadLetters.add(message);
                                outstanding.decrementAndGet();
                            } else {
                                redelivered.incrementAndGet();
                                queue.add(new Message(message.id(), message.body(), message.receives() + 1));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> instance : instances) {
                instance.get();
            }
            millis = (System.nanoTime() - started) / 1_000_000;
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            injected = proxy.injected();
        }
        long requests = traffic.all().size();
        String report = String.format("%d posts, %d instances, batches of up to %d, %.0f %% faults: %d ms, %.1f posts/s,"
                        + " %d invocations, %d messages redelivered, %d in the dead-letter queue, %d faults injected,"
                        + " %d S3 requests (%.2f per post), %.1f MB moved%n", POSTS, INSTANCES, BATCH_SIZE,
                faultRate * 100, millis, POSTS * 1000.0 / millis, invocations.get(), redelivered.get(),
                deadLetters.size(), injected, requests, requests / (double) POSTS, traffic.bytes(r -> true) / 1e6);
        Files.writeString(Path.of("target/load.txt"), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Map<String, long[]> byKind = new java.util.TreeMap<>();
        for (Traffic.Request request : traffic.all()) {
            String kind = request.method() + " " + (request.key().startsWith("_site/packs") ? "pack"
                    : request.key().startsWith("_site/") ? request.key() : request.key().startsWith("posts/")
                    ? (request.bucket().startsWith("source") ? "source post" : "post page")
                    : request.key().contains("/page/") || request.key().startsWith("page/") ? "archive page"
                    : request.key().startsWith("tags/") ? "tag page" : request.key().startsWith("sitemaps/") ? "sitemaps/*"
                    : request.key());
            long[] sums = byKind.computeIfAbsent(kind, k -> new long[2]);
            sums[0]++;
            sums[1] += request.written() + request.read();
        }
        StringBuilder kinds = new StringBuilder();
        byKind.forEach((kind, sums) -> kinds.append(String.format("  %-32s %7d requests %10.1f KB%n", kind, sums[0],
                sums[1] / 1024.0)));
        Files.writeString(Path.of("target/load.txt"), kinds.toString(), StandardOpenOption.APPEND);
        if (faultRate > 0) {
            assertThat(injected).as("faults were injected").isPositive();
        }

        assertThat(deadLetters).as("messages in the dead-letter queue").isEmpty();
        dev.postrenderer.aws.S3ObjectStore store = new dev.postrenderer.aws.S3ObjectStore(direct, site);
        List<PostEntry> posts = PublishedState.posts(store);
        assertThat(posts).extracting(PostEntry::key).containsExactlyInAnyOrderElementsOf(keys);
        for (PostEntry post : posts) {
            assertThat(post.title()).as("state of " + post.key()).isEqualTo(titles.get(post.key()));
        }
        SiteWalk walk = new SiteWalk(key -> get(site, key), "https://blog.example.com");
        assertThat(walk.posts("index.html")).as("posts reachable from the front page")
                .containsExactlyElementsOf(posts.stream().map(PostEntry::path).toList());
        Set<String> sitemap = walk.sitemap();
        for (PostEntry post : posts) {
            assertThat(sitemap).contains("https://blog.example.com/" + post.path());
        }
        List<PostEntry> sample = new ArrayList<>(posts);
        Collections.shuffle(sample, new Random(1));
        for (PostEntry post : sample.subList(0, 100)) {
            String page = new String(get(site, post.path() + "index.html").orElseThrow(), UTF_8);
            OutputOracle.check(page);
            assertThat(page).contains("<title>" + post.title() + "</title>");
            assertThat(ETags.of(page.getBytes(UTF_8))).isEqualTo(post.pageEtag());
        }
    }

    static java.util.stream.DoubleStream faultRates() {
        return java.util.Arrays.stream(System.getProperty("load.faults", "0,0.05").split(","))
                .mapToDouble(Double::parseDouble);
    }

    /** What a Lambda SQS poller hands one invocation: the messages available, up to the batch size. */
    private static List<Message> receive(LinkedBlockingDeque<Message> queue) throws InterruptedException {
        List<Message> batch = new ArrayList<>();
        Message first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH_SIZE - 1);
        return batch;
    }

    private static Optional<byte[]> get(String bucket, String key) {
        try {
            return Optional.of(direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Discards the function's log lines. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
