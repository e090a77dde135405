package dev.postrenderer.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the publisher relies on from an {@link ObjectStore}, whatever is behind it: S3's semantics
 * for reads, whole-object writes, conditional writes and deletes checked and applied in one step,
 * ranges, listings in key order and the content hash each write records. Each store's test runs
 * this suite against a fresh store.
 */
public abstract class ObjectStoreContract {

    private static final PutOptions TEXT = new PutOptions("text/plain; charset=utf-8", Optional.empty(),
            Map.of("source-key", "posts%2Fa.md"));

    /** A fresh, empty store. */
    protected abstract ObjectStore store();

    /** True if the store keeps user metadata (a folder has nowhere to). */
    protected boolean keepsMetadata() {
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    public void whatIsWrittenIsReadBackWholeWithWhatTheStoreKnowsOfIt() {
        ObjectStore store = store();
        store.put("posts/a/index.html", bytes("<p>one</p>"), TEXT);

        StoredObject read = store.get("posts/a/index.html").orElseThrow();
        assertThat(read.content()).isEqualTo(bytes("<p>one</p>"));
        assertThat(read.info().size()).isEqualTo(10);
        assertThat(read.info().etag()).isPresent();
        assertThat(read.info().holds(bytes("<p>one</p>"))).as("its content hash").isTrue();
        assertThat(read.info().holds(bytes("<p>two</p>"))).isFalse();
        assertThat(store.head("posts/a/index.html").orElseThrow().etag()).isEqualTo(read.info().etag());
        if (keepsMetadata()) {
            assertThat(read.info().metadata()).containsEntry("source-key", "posts%2Fa.md");
        }
        assertThat(store.get("posts/b/index.html")).isEmpty();
        assertThat(store.head("posts/b/index.html")).isEmpty();
    }

    @Test
    public void aWriteReplacesTheObjectWholeAndGivesItAnotherEntityTag() {
        ObjectStore store = store();
        String first = store.put("k", bytes("one"), TEXT, Precondition.ABSENT).orElseThrow();
        String second = store.put("k", bytes("two, longer"), TEXT, Precondition.matching(first)).orElseThrow();

        assertThat(second).isNotEqualTo(first);
        assertThat(store.get("k").orElseThrow().content()).isEqualTo(bytes("two, longer"));
        assertThat(store.head("k").orElseThrow().etag()).contains(second);
    }

    @Test
    public void ifNoneMatchWritesOnlyWhereThereIsNothing() {
        ObjectStore store = store();
        assertThat(store.put("k", bytes("one"), TEXT, Precondition.ABSENT)).isPresent();
        assertThat(store.put("k", bytes("two"), TEXT, Precondition.ABSENT)).isEmpty();
        assertThat(store.get("k").orElseThrow().content()).isEqualTo(bytes("one"));
    }

    @Test
    public void ifMatchWritesOnlyOverTheObjectItNames() {
        ObjectStore store = store();
        String etag = store.put("k", bytes("one"), TEXT, Precondition.ABSENT).orElseThrow();
        store.put("k", bytes("changed by another writer"), TEXT);

        assertThat(store.put("k", bytes("two"), TEXT, Precondition.matching(etag))).isEmpty();
        assertThat(store.put("missing", bytes("x"), TEXT, Precondition.matching(etag))).isEmpty();
        assertThat(store.get("k").orElseThrow().content()).isEqualTo(bytes("changed by another writer"));
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    public void aConditionalDeleteRemovesOnlyTheObjectItNames() {
        ObjectStore store = store();
        String etag = store.put("k", bytes("one"), TEXT, Precondition.ABSENT).orElseThrow();
        String other = store.put("k", bytes("two"), TEXT, Precondition.matching(etag)).orElseThrow();

        assertThat(store.delete("k", etag)).as("another object is there now").isFalse();
        assertThat(store.get("k")).isPresent();
        assertThat(store.delete("k", other)).isTrue();
        assertThat(store.get("k")).isEmpty();
        assertThat(store.delete("k", other)).as("gone already").isTrue();
    }

    @Test
    public void concurrentConditionalWritersLoseNoUpdate() throws Exception {
        ObjectStore store = store();
        store.put("counter", bytes("0"), TEXT);
        int writers = 4;
        int increments = 25;
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < increments; i++) {
                    while (true) {
                        StoredObject current = store.get("counter").orElseThrow();
                        int value = Integer.parseInt(new String(current.content(), UTF_8).strip());
                        if (store.put("counter", bytes(Integer.toString(value + 1)), TEXT,
                                Precondition.unchangedFrom(Optional.of(current.info()))).isPresent()) {
                            break;
                        }
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get();
        }
        pool.shutdown();
        assertThat(new String(store.get("counter").orElseThrow().content(), UTF_8))
                .isEqualTo(Integer.toString(writers * increments));
    }

    @Test
    public void aRangeIsReadAloneAndALimitedReadTellsAnObjectOverItsLimit() {
        ObjectStore store = store();
        store.put("pack", bytes("0123456789"), TEXT);

        assertThat(store.getRange("pack", 3, 4)).hasValueSatisfying(range -> assertThat(range).isEqualTo(bytes("3456")));
        assertThat(store.get("pack", 4).orElseThrow().content()).as("at most the limit and one byte").hasSizeBetween(5, 10);
        assertThat(store.get("pack", 100).orElseThrow().content()).isEqualTo(bytes("0123456789"));
        assertThat(store.getRange("missing", 0, 1)).isEmpty();
    }

    @Test
    public void listingsAreInKeyOrderAndAFolderListingStopsAtSubfolders() {
        ObjectStore store = store();
        for (String key : List.of("posts/b.md", "posts/a.md", "posts/sub/c.md", "img/x.png", "posts.md")) {
            store.put(key, bytes(key), TEXT);
        }

        assertThat(store.list("posts/")).extracting(ObjectInfo::key)
                .containsExactly("posts/a.md", "posts/b.md", "posts/sub/c.md");
        assertThat(store.listFolder("posts/")).extracting(ObjectInfo::key).containsExactly("posts/a.md", "posts/b.md");
        assertThat(store.listFolder("")).extracting(ObjectInfo::key).containsExactly("posts.md");
        assertThat(store.list("none/")).isEmpty();
        assertThat(store.list("posts/").get(0).size()).isEqualTo(10);
    }

    @Test
    public void keysMayHoldSpacesPlusSignsAndAnyLetter() {
        ObjectStore store = store();
        String key = "posts/C++ tips für Café (1).md";
        store.put(key, bytes("x"), TEXT);

        assertThat(store.get(key)).isPresent();
        assertThat(store.list("posts/")).extracting(ObjectInfo::key).containsExactly(key);
        store.delete(key);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    public void anObjectIsCopiedByteForByteAndAMissingOneIsSaidSo() {
        ObjectStore from = store();
        ObjectStore to = store();
        from.put("img/a.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}, TEXT);

        assertThat(from.copyTo("img/a.png", to, new PutOptions("image/png", Optional.empty(), Map.of()))).isTrue();
        assertThat(to.get("img/a.png").orElseThrow().content()).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        assertThat(from.copyTo("img/missing.png", to, TEXT)).isFalse();
    }

    @Test
    public void deletingWhatIsNotThereIsNotAnError() {
        ObjectStore store = store();
        store.delete("missing");
        store.deleteAll(List.of("missing", "also-missing"));
        store.put("a", bytes("a"), TEXT);
        store.put("b", bytes("b"), TEXT);
        store.deleteAll(List.of("a", "b"));
        assertThat(store.list("")).isEmpty();
    }
}
