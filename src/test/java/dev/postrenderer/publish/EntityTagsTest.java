package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing depends on entity tags being the MD5 of the bytes: a bucket whose entity tags are opaque,
 * as S3 gives them under SSE-KMS, ends with the same site as one whose are MD5s, after the same
 * history of batches, and no conditional write fails for want of a predicted tag.
 */
class EntityTagsTest {

    private static final Path EXAMPLE = Path.of("examples/site");
    private static final SiteConfig CONFIG = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", "site",
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Example Blog"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aBucketWithOpaqueEntityTagsPublishesTheSameSiteWithNoFailedConditions() throws IOException {
        Site md5 = publishHistory(MemoryStore.Etags.MD5);
        Site opaque = publishHistory(MemoryStore.Etags.OPAQUE);

        assertThat(opaque.failures).as("changes that failed").isEmpty();
        assertThat(readable(opaque.site)).isEqualTo(readable(md5.site));
        assertThat(opaque.site.requests("412")).as("conditional writes that failed").isZero();
        assertThat(md5.site.requests("412")).as("conditional writes that failed").isZero();
    }

    /** What a history leaves: the example site in one batch, then an edit, a new post, a deletion, one at a time. */
    private static Site publishHistory(MemoryStore.Etags etags) throws IOException {
        MemoryStore source = new MemoryStore();
        MemoryStore site = new MemoryStore(etags);
        Publisher publisher = new Publisher(source, site, new SiteRenderers(CONFIG.render(), source), CONFIG, CLOCK);
        List<String> failures = new ArrayList<>();
        long[] sequencer = {0x100};
        List<SourceChange> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = EXAMPLE.relativize(file).toString().replace('\\', '/');
                all.add(upload(source, key, Files.readAllBytes(file), ++sequencer[0]));
            }
        }
        record(publisher.apply(all), failures);
        record(publisher.apply(List.of(upload(source, "posts/ai-art.md", (Files.readString(
                EXAMPLE.resolve("posts/ai-art.md")) + "\nAn update.\n").getBytes(UTF_8), ++sequencer[0]))), failures);
        record(publisher.apply(List.of(upload(source, "posts/newest.md", ("---\ntitle: Newest\ndate: 2030-01-01\n"
                + "tags: [ai]\n---\nNew.\n").getBytes(UTF_8), ++sequencer[0]))), failures);
        source.delete("posts/getting-started.md");
        record(publisher.apply(List.of(new SourceChange("posts/getting-started.md", true, OptionalLong.empty(),
                Optional.empty(), Optional.of(String.format("%016X", ++sequencer[0]))))), failures);
        return new Site(site, failures);
    }

    private record Site(MemoryStore site, List<String> failures) {
    }

    private static SourceChange upload(MemoryStore source, String key, byte[] content, long sequencer) {
        source.upload(key, content);
        return new SourceChange(key, false, OptionalLong.of(content.length), Optional.of(ETags.of(content)),
                Optional.of(String.format("%016X", sequencer)));
    }

    private static void record(BatchResult result, List<String> failures) {
        result.failed().forEach(failure -> failures.add(failure.key() + ": " + failure.error()));
    }

    /**
     * What readers get: every object but the site's state, whose records name the bucket's entity
     * tags, and the feed with the entity tag each entry records of its page taken out.
     */
    private static SortedMap<String, String> readable(MemoryStore site) {
        SortedMap<String, String> pages = new TreeMap<>();
        site.contents().forEach((key, bytes) -> {
            if (!key.startsWith("_site/")) {
                String text = new String(bytes, UTF_8);
                pages.put(key, key.equals("feed.xml") ? text.replaceAll("<pr:page>[^<]*</pr:page>", "") : text);
            }
        });
        return pages;
    }
}
