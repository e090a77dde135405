package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.PublishHandler;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.MemoryBuckets;
import dev.postrenderer.testing.MemoryStore;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Images as readers get them: a published image's facts and variants reach every page that shows
 * it, whichever of the post and the image arrived first; replacing or deleting the image renders
 * those pages again; and an image that cannot be read or is over the budget is published as it is,
 * with a warning naming its key.
 */
class ImagePublishingTest {

    private static final String POST = "---\ntitle: Trip\ndate: 2024-05-01\nimage: /img/photo.jpg\n---\n"
            + "Before.\n\n![The view](../img/photo.jpg)\n\n![Again](../img/photo.jpg)\n";

    @Test
    void aPostAndItsImageEndTheSameWhicheverArrivesFirst() {
        byte[] photo = TestImages.jpegWithExif(2000, 1500, 6);
        Site imageFirst = new Site();
        imageFirst.put("img/photo.jpg", photo);
        imageFirst.put("posts/trip.md", POST.getBytes(UTF_8));
        Site postFirst = new Site();
        postFirst.put("posts/trip.md", POST.getBytes(UTF_8));
        assertThat(postFirst.page("posts/trip/index.html")).doesNotContain("srcset");
        postFirst.put("img/photo.jpg", photo);

        assertThat(postFirst.contents()).isEqualTo(imageFirst.contents());
        String page = postFirst.page("posts/trip/index.html");
        String version = ContentHash.of(photo).substring(0, 12);
        // orientation 6: a 2000x1500 photo is shown 1500x2000
        assertThat(page).contains("width=\"1500\" height=\"2000\"",
                "srcset=\"../../_img/img/photo.jpg/" + version + "-480.jpg 480w, ../../_img/img/photo.jpg/" + version
                        + "-960.jpg 960w, ../../_img/img/photo.jpg/" + version + "-1500.jpg 1500w\"",
                "fetchpriority=\"high\"",
                "<meta property=\"og:image\" content=\"https://blog.example.com/_img/img/photo.jpg/" + version
                        + "-1500.jpg\">",
                "<meta property=\"og:image:width\" content=\"1500\">",
                "<meta property=\"og:image:height\" content=\"2000\">");
        assertThat(page).containsOnlyOnce("loading=\"lazy\""); // the cover and the first body image load at once
        assertThat(postFirst.page("index.html")).contains("srcset=\"_img/img/photo.jpg/" + version + "-480.jpg 480w");
        assertThat(postFirst.keys("_img/")).containsExactly("_img/img/photo.jpg/" + version + "-1500.jpg",
                "_img/img/photo.jpg/" + version + "-480.jpg", "_img/img/photo.jpg/" + version + "-960.jpg");
        for (String variant : postFirst.keys("_img/")) {
            assertThat(TestImages.hasExif(postFirst.bytes(variant))).as(variant + " carries no EXIF or GPS").isFalse();
        }
        assertThat(postFirst.warnings()).isEmpty();
    }

    @Test
    void aPostShowingAnImageCostsTwoRequestsMoreThanOneWithoutItsReferenceAndItsFacts() {
        Map<String, Integer> withImage = newPostRequests(POST);
        Map<String, Integer> without = newPostRequests(POST.replace("image: /img/photo.jpg\n", "")
                .replace("![The view](../img/photo.jpg)", "").replace("![Again](../img/photo.jpg)", ""));

        // however often the post shows the image: one PUT of its reference, one GET of the facts
        assertThat(withImage.get("PUT")).isEqualTo(without.get("PUT") + 1);
        assertThat(withImage.get("GET")).isEqualTo(without.get("GET") + 1);
        assertThat(withImage.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(without.values().stream().mapToInt(Integer::intValue).sum() + 2);
    }

    /** The site's requests for one new post into a site of five, the image published before. */
    private static Map<String, Integer> newPostRequests(String post) {
        Site site = new Site();
        site.put("img/photo.jpg", TestImages.jpeg(1200, 800));
        for (int i = 0; i < 5; i++) {
            site.put("posts/p" + i + ".md", ("---\ntitle: P" + i + "\ndate: 2024-01-0" + (i + 1) + "\n---\nText.\n")
                    .getBytes(UTF_8));
        }
        site.buckets.bucket("site").resetCounts();
        site.put("posts/trip.md", post.getBytes(UTF_8));
        return site.buckets.bucket("site").requests();
    }

    @Test
    void anOldPostListedOnAnArchivePageIsRenderedAgainWhenItsImageArrives() {
        Site site = new Site();
        site.put("posts/trip.md", POST.replace("2024-05-01", "2020-01-01").getBytes(UTF_8));
        for (int i = 0; i < 60; i++) {
            site.put(String.format("posts/later-%02d.md", i), ("---\ntitle: Later " + i + "\ndate: 2024-02-"
                    + String.format("%02d", 1 + i % 28) + "\n---\nText.\n").getBytes(UTF_8));
        }
        assertThat(site.page("index.html")).as("the old post is on an archive page").doesNotContain("posts/trip/");

        site.put("img/photo.jpg", TestImages.jpeg(1200, 800));

        assertThat(site.page("posts/trip/index.html")).contains("width=\"1200\" height=\"800\"", "srcset=");
    }

    @Test
    void replacingAnImageRendersItsPostsWithTheNewVariantsAndDeletesTheOld() {
        Site site = new Site();
        byte[] first = TestImages.jpeg(1200, 800);
        byte[] second = TestImages.png(1000, 1000, true);
        site.put("img/photo.jpg", first);
        site.put("posts/trip.md", POST.getBytes(UTF_8));

        site.put("img/photo.jpg", second);

        String version = ContentHash.of(second).substring(0, 12);
        assertThat(site.keys("_img/")).containsExactly("_img/img/photo.jpg/" + version + "-1000.png",
                "_img/img/photo.jpg/" + version + "-480.png", "_img/img/photo.jpg/" + version + "-960.png");
        assertThat(site.page("posts/trip/index.html")).contains("width=\"1000\" height=\"1000\"", version + "-960.png 960w")
                .doesNotContain(ContentHash.of(first).substring(0, 12));
        assertThat(site.warnings()).anySatisfy(warning -> assertThat(warning)
                .contains("img/photo.jpg is named .jpg but its content is PNG"));
    }

    @Test
    void deletingAnImageRendersItsPostsWithoutItAndDeletesItsVariants() {
        Site site = new Site();
        site.put("img/photo.jpg", TestImages.jpeg(1200, 800));
        site.put("posts/trip.md", POST.getBytes(UTF_8));

        site.delete("img/photo.jpg");

        assertThat(site.keys("_img/")).isEmpty();
        assertThat(site.keys("_site/images/")).isEmpty();
        assertThat(site.page("posts/trip/index.html")).doesNotContain("srcset", "_img/", "width=\"1200\"")
                .contains("<img src=\"../../img/photo.jpg\" alt=\"The view\" decoding=\"async\" />");
        assertThat(site.page("index.html")).doesNotContain("_img/");
    }

    @Test
    void anImageOverThePixelBudgetIsPublishedAsItIsWithItsSizeAndAWarning() {
        byte[] bomb = TestImages.png(10, 10, false);
        java.nio.ByteBuffer.wrap(bomb, 16, 8).putInt(20_000).putInt(20_000);
        Site site = new Site();
        site.put("img/photo.png", bomb);
        site.put("posts/trip.md", POST.replace("photo.jpg", "photo.png").getBytes(UTF_8));

        assertThat(site.bytes("img/photo.png")).isEqualTo(bomb);
        assertThat(site.keys("_img/")).isEmpty();
        assertThat(site.page("posts/trip/index.html")).contains("width=\"20000\" height=\"20000\"").doesNotContain("srcset");
        assertThat(site.warnings()).containsExactly("img/photo.png has 20000x20000 pixels, more than the 40-megapixel"
                + " budget: published as it is, without variants, and never decoded");
    }

    @Test
    void aCorruptImageIsPublishedAsItIsWithAWarningAndItsPostsAreFine() {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.jpeg(1200, 800), 30);
        Site site = new Site();
        site.put("img/photo.jpg", truncated);
        site.put("posts/trip.md", POST.getBytes(UTF_8));

        assertThat(site.bytes("img/photo.jpg")).isEqualTo(truncated);
        assertThat(site.page("posts/trip/index.html")).contains("<img src=\"../../img/photo.jpg\" alt=\"The view\"")
                .doesNotContain("srcset");
        assertThat(site.warnings()).containsExactly(
                "img/photo.jpg is published as it is, without sizes: its JPEG header is cut short or malformed");
    }

    @Test
    void anImageWhoseDataIsCutShortKeepsItsSizeButGetsNoVariants() {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.jpeg(1200, 800), 2_000);
        Site site = new Site();
        site.put("img/photo.jpg", truncated);
        site.put("posts/trip.md", POST.getBytes(UTF_8));

        assertThat(site.keys("_img/")).isEmpty();
        assertThat(site.page("posts/trip/index.html")).contains("width=\"1200\" height=\"800\"").doesNotContain("srcset");
        assertThat(site.warnings()).singleElement().asString()
                .startsWith("img/photo.jpg is published as it is, without variants: its JPEG data cannot be decoded");
    }

    @Test
    void anImageWhosePostCouldNotBeRenderedAgainIsRetriedAndThenRendersIt() {
        MemoryStore source = new MemoryStore();
        MemoryStore memory = new MemoryStore();
        java.util.concurrent.atomic.AtomicBoolean pagesFail = new java.util.concurrent.atomic.AtomicBoolean();
        ObjectStore site = new FailingPages(memory, pagesFail);
        Publisher publisher = new Publisher(source, site, SiteConfig.fromEnvironment(Map.of("SITE_URL",
                "https://blog.example.com")));
        source.upload("posts/trip.md", POST.getBytes(UTF_8));
        assertThat(publisher.apply(List.of(SourceChange.created("posts/trip.md"))).failed()).isEmpty();
        source.upload("img/photo.jpg", TestImages.jpeg(1200, 800));

        pagesFail.set(true);
        BatchResult failed = publisher.apply(List.of(SourceChange.created("img/photo.jpg")));
        pagesFail.set(false);
        BatchResult retried = publisher.apply(List.of(SourceChange.created("img/photo.jpg")));

        assertThat(failed.failed()).extracting(BatchResult.Failure::key).contains("img/photo.jpg");
        assertThat(retried.failed()).isEmpty();
        assertThat(new String(memory.get("posts/trip/index.html").orElseThrow().content(), UTF_8))
                .contains("width=\"1200\" height=\"800\"", "srcset=");
    }

    /** A site store whose post pages cannot be written while {@code failing} is set. */
    private record FailingPages(MemoryStore store, java.util.concurrent.atomic.AtomicBoolean failing)
            implements ObjectStore {
        private void check(String key) {
            if (failing.get() && key.startsWith("posts/")) {
                throw new StoreException(key, "injected failure", null);
            }
        }

        @Override
        public java.util.Optional<StoredObject> get(String key) {
            return store.get(key);
        }

        @Override
        public java.util.Optional<ObjectInfo> head(String key) {
            return store.head(key);
        }

        @Override
        public void put(String key, byte[] content, PutOptions options) {
            check(key);
            store.put(key, content, options);
        }

        @Override
        public java.util.Optional<String> put(String key, byte[] content, PutOptions options, Precondition precondition) {
            check(key);
            return store.put(key, content, options, precondition);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public boolean delete(String key, String etag) {
            return store.delete(key, etag);
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return store.list(prefix);
        }
    }

    /** A source and a site bucket in memory with the function between them, events delivered one by one. */
    private static final class Site {
        private final MemoryBuckets buckets = new MemoryBuckets();
        private final ByteArrayOutputStream log = new ByteArrayOutputStream();
        private final PublishHandler handler = new PublishHandler(buckets, SiteConfig.fromEnvironment(Map.of(
                "SITE_BUCKET", "site", "SITE_URL", "https://blog.example.com")), new PrintStream(log, true, UTF_8),
                "images");
        private long sequencer = 0x100;

        void put(String key, byte[] content) {
            buckets.bucket("source").upload(key, content);
            deliver(S3Events.event().put("source", key, content.length, ETags.of(content), next()));
        }

        void delete(String key) {
            buckets.bucket("source").delete(key);
            deliver(S3Events.event().delete("source", key, next()));
        }

        private void deliver(S3Events event) {
            assertThat(Invocations.invoke(handler, event.sqs())).as(log.toString(UTF_8)).isEmpty();
        }

        private String next() {
            return Long.toHexString(++sequencer);
        }

        byte[] bytes(String key) {
            return buckets.bucket("site").get(key).orElseThrow(() -> new AssertionError("no " + key + " in the site"))
                    .content();
        }

        String page(String key) {
            String html = new String(bytes(key), UTF_8);
            OutputOracle.check(html);
            return html;
        }

        List<String> keys(String prefix) {
            return buckets.bucket("site").list(prefix).stream().map(ObjectInfo::key).sorted().toList();
        }

        /** Every object readers can get, by key: pages as text, the rest by entity tag. */
        Map<String, String> contents() {
            Map<String, String> contents = new TreeMap<>();
            buckets.bucket("site").contents().forEach((key, bytes) -> {
                if (!key.startsWith("_site/")) {
                    contents.put(key, key.endsWith(".html") || key.endsWith(".xml") ? new String(bytes, UTF_8)
                            : ETags.of(bytes));
                }
            });
            return contents;
        }

        /** The messages of the function's WARN lines. */
        List<String> warnings() {
            return log.toString(UTF_8).lines().filter(line -> line.contains("\"level\":\"WARN\""))
                    .map(line -> line.replaceAll(".*\"message\":\"(.*)\".*", "$1")).toList();
        }
    }
}
