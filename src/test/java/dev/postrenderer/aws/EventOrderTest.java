package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.TestImages;
import dev.postrenderer.testing.MemoryBuckets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S3 delivers events at least once and in no particular order. For many fixed seeds, a random
 * history of creations, updates, draft flips and deletions over a few keys is delivered to the
 * function duplicated and shuffled (each event after its own change, with S3's per-key
 * increasing sequencers), one by one or several in one SQS batch, and the site must end up
 * exactly as in-order delivery leaves it: the posts show an image that comes, changes size and
 * goes, so a post rendered before its image must be rendered again when it arrives. The handler reads and writes buckets in memory, which
 * keep S3's contract (see {@code ObjectStoreContract}).
 */
class EventOrderTest {

    private static final List<String> KEYS = List.of("posts/a.md", "posts/b.md", "posts/c.md", "img/x.png");

    /** One change to the source, and the event S3 sends for it. */
    private record Change(String key, byte[] content, boolean delete, String sequencer) {
        String event(String bucket) {
            return delete ? S3Events.event().delete(bucket, key, sequencer).json()
                    : S3Events.event().put(bucket, key, content.length, ETags.of(content), sequencer).json();
        }
    }

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(120)
    void duplicatedAndShuffledDeliveryEndsWhereInOrderDeliveryEnds(int seed) {
        List<Change> history = history(new Random(seed));

        Site inOrder = new Site();
        for (Change change : history) {
            inOrder.apply(change);
            inOrder.deliver(change);
        }

        Random random = new Random(seed * 31L);
        Site shuffled = new Site();
        List<Change> pending = new ArrayList<>();
        for (Change change : history) {
            shuffled.apply(change);
            pending.add(change);
            if (random.nextInt(3) == 0) {
                deliverSome(shuffled, pending, random);
            }
        }
        while (!pending.isEmpty()) {
            deliverSome(shuffled, pending, random);
        }

        assertThat(shuffled.contents()).isEqualTo(inOrder.contents());
    }

    /** Delivers a random part of what is pending, in random order, some of it twice; what is not delivered stays pending. */
    private static void deliverSome(Site site, List<Change> pending, Random random) {
        Collections.shuffle(pending, random);
        int count = 1 + random.nextInt(pending.size());
        List<Change> now = new ArrayList<>(pending.subList(0, count));
        pending.subList(0, count).clear();
        if (random.nextBoolean()) {
            site.deliver(now); // one SQS batch
        } else {
            now.forEach(site::deliver); // one event each
        }
        for (Change change : now) {
            if (random.nextInt(3) == 0) {
                pending.add(change); // S3 delivers it again later
            }
        }
    }

    private static List<Change> history(Random random) {
        List<Change> history = new ArrayList<>();
        Set<String> existing = new HashSet<>();
        long sequencer = 0x1000;
        for (int i = 0; i < 14; i++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            boolean delete = existing.contains(key) && random.nextInt(4) == 0;
            byte[] content = delete ? null : content(key, i, random);
            history.add(new Change(key, content, delete, Long.toHexString(sequencer += 1 + random.nextInt(5))));
            if (delete) {
                existing.remove(key);
            } else {
                existing.add(key);
            }
        }
        return history;
    }

    /**
     * A post that often shows the image, as its cover or in its body; an image whose versions
     * differ in size, some with variants (480 pixels wide or more) and some with transparency.
     */
    private static byte[] content(String key, int version, Random random) {
        if (key.endsWith(".png")) {
            return TestImages.png(300 + random.nextInt(500), 100 + random.nextInt(200), random.nextBoolean());
        }
        String text = "---\ntitle: " + key + " v" + version + "\ndate: 2024-01-" + (10 + random.nextInt(18))
                + "\ntags: [" + (random.nextBoolean() ? "red" : "blue") + "]\n"
                + (random.nextInt(3) == 0 ? "image: /img/x.png\n" : "")
                + (random.nextInt(4) == 0 ? "draft: true\n" : "") + "---\nVersion " + version + ".\n"
                + (random.nextBoolean() ? "\n![The image](../img/x.png)\n" : "");
        return text.getBytes(UTF_8);
    }

    /** A source and a site bucket with the function between them. */
    private static final class Site {
        final String source = "source";
        final String site = "site";
        final MemoryBuckets buckets = new MemoryBuckets();
        final PublishHandler handler = new PublishHandler(buckets, SiteConfig.fromEnvironment(Map.of(
                "SITE_BUCKET", site, "SITE_URL", "https://blog.example.com", "SITE_NAME", "Order")),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "order");

        void apply(Change change) {
            if (change.delete()) {
                buckets.bucket(source).delete(change.key());
            } else {
                buckets.bucket(source).upload(change.key(), change.content());
            }
        }

        void deliver(Change change) {
            Invocations.invoke(handler, change.event(source));
        }

        /** Several changes as one SQS batch, as the queue delivers them. */
        void deliver(List<Change> changes) {
            S3Events batch = S3Events.event();
            for (Change change : changes) {
                if (change.delete()) {
                    batch.delete(source, change.key(), change.sequencer());
                } else {
                    batch.put(source, change.key(), change.content().length, ETags.of(change.content()),
                            change.sequencer());
                }
            }
            assertThat(Invocations.invoke(handler, batch.sqs())).isEmpty();
        }

        /** Every object but the state, as text; the state's published posts as what listings show. */
        Map<String, String> contents() {
            Map<String, String> contents = new TreeMap<>();
            contents.put("_site/ posts", PublishedState.posts(buckets.bucket(site))
                    .stream().map(entry -> entry.key() + " " + entry.title() + " " + entry.tags() + " "
                            + entry.sourceEtag().orElse("") + " " + entry.pageEtag()).toList().toString());
            buckets.bucket(site).contents().forEach((key, bytes) -> {
                if (key.startsWith("_site/")) {
                    return;
                }
                String text = new String(bytes, UTF_8);
                if (key.endsWith(".png") || key.startsWith("_img/")) {
                    text = ETags.of(bytes);
                } else if (key.endsWith(".html")) {
                    OutputOracle.check(text);
                }
                contents.put(key, text);
            });
            return contents;
        }
    }
}
