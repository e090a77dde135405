package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.ManifestStore;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.site.ManifestEntry;
import dev.postrenderer.site.ManifestJson;
import dev.postrenderer.site.SiteManifest;
import dev.postrenderer.testing.FaultyS3Proxy;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * 1,000 events through the handler from 8 concurrent "function instances", with 5 % of all S3
 * requests failing (500, 503 SlowDown, resets) and Lambda's asynchronous retries (two more
 * attempts, then the failure queue, redriven at the end as an operator would). No page may be
 * lost or stale, and the manifest must agree with the source. The rate is written to
 * {@code target/load.txt}.
 */
class LoadTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client direct = S3.client();
    private static final int POSTS = 200;
    private static final int VERSIONS = 5;
    private static final int INSTANCES = 8;

    /** An event and how many times Lambda has tried it. */
    private record Delivery(String key, String json, int attempt) {
    }

    @Test
    @Timeout(600)
    void aThousandEventsWithFaultsAndRetriesLoseNothing() throws Exception {
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                "SITE_URL", "https://blog.example.com", "SITE_NAME", "Load"));
        LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
        Map<String, String> latestTitle = new ConcurrentHashMap<>();
        long sequencer = 0x10000;
        for (int version = 1; version <= VERSIONS; version++) {
            for (int i = 0; i < POSTS; i++) {
                String key = String.format("posts/p%03d.md", i);
                String title = "Post " + i + " version " + version;
                byte[] content = ("---\ntitle: " + title + "\ndate: 2024-03-" + String.format("%02d", 1 + i % 28)
                        + "\ntags: [t" + (i % 7) + ", all]\n---\nVersion " + version + " of post " + i + ".\n")
                        .getBytes(UTF_8);
                direct.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
                latestTitle.put(key, title);
                queue.add(new Delivery(key, S3Events.event().put(source, key, content.length, ETags.of(content),
                        Long.toHexString(++sequencer)).json(), 1));
            }
        }
        int events = queue.size();
        assertThat(events).isEqualTo(1_000);

        ConcurrentLinkedQueue<Delivery> failureQueue = new ConcurrentLinkedQueue<>();
        AtomicInteger retries = new AtomicInteger();
        long started;
        long millis;
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            proxy.failRandomly(0.05, 42);
            ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
            List<Future<?>> instances = new ArrayList<>();
            started = System.nanoTime();
            for (int i = 0; i < INSTANCES; i++) {
                S3EventHandler handler = new S3EventHandler(S3.newClient(proxy.endpoint()), config,
                        new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "load-" + i);
                instances.add(pool.submit(() -> {
                    for (Delivery delivery = queue.poll(); delivery != null; delivery = queue.poll()) {
                        try {
                            handler.handleRequest(S3Events.load(delivery.json()), null);
                        } catch (TransientFailureException e) {
                            if (delivery.attempt() < 3) {
                                retries.incrementAndGet();
                                queue.add(new Delivery(delivery.key(), delivery.json(), delivery.attempt() + 1));
                            } else {
                                failureQueue.add(delivery);
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
            Files.writeString(Path.of("target/load.txt"), String.format(
                    "%d events, %d instances, %d ms, %.1f events/s, %d S3 requests failed on purpose, %d event retries,"
                            + " %d events in the failure queue%n", events, INSTANCES, millis, events * 1000.0 / millis,
                    proxy.injected(), retries.get(), failureQueue.size()));
            assertThat(proxy.injected()).as("faults were injected").isPositive();
        }

        // the operator redrives the failure queue once S3 is healthy again
        S3EventHandler redrive = new S3EventHandler(S3.newClient(), config,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "redrive");
        failureQueue.forEach(delivery -> redrive.handleRequest(S3Events.load(delivery.json()), null));

        SiteManifest manifest = ManifestJson.read(direct.getObjectAsBytes(b -> b.bucket(site).key(ManifestStore.KEY))
                .asByteArray());
        assertThat(manifest.posts()).hasSize(POSTS);
        for (ManifestEntry entry : manifest.posts()) {
            String page = direct.getObjectAsBytes(b -> b.bucket(site).key(entry.path() + "index.html")).asUtf8String();
            String title = latestTitle.get(entry.sourceKey());
            OutputOracle.check(page);
            assertThat(entry.title()).as("manifest entry of " + entry.sourceKey()).isEqualTo(title);
            assertThat(page).as("page of " + entry.sourceKey()).contains("<title>" + title + "</title>");
            assertThat(entry.pageEtag()).contains(ETags.of(page.getBytes(UTF_8)));
        }
        String index = direct.getObjectAsBytes(b -> b.bucket(site).key("index.html")).asUtf8String();
        for (String title : latestTitle.values()) {
            assertThat(index).contains(">" + title + "</a>");
        }
    }

}
