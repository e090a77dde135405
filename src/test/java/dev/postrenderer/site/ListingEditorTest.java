package dev.postrenderer.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.post.PostDate;
import dev.postrenderer.site.ListingEdit.PageChange;
import dev.postrenderer.site.ListingEdit.PageView;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A listing edited batch by batch has exactly the pages the same posts cut all at once have,
 * and every page that differs from the batch before is reported, so writing the reported pages
 * keeps a site equal to a site built from scratch.
 */
class ListingEditorTest {

    /** Parts in memory, counting the distinct parts read, as a store that caches what it read would. */
    static final class MemoryParts implements ListingEditor.Parts {
        final Map<String, List<PostEntry>> entries = new HashMap<>();
        final Map<String, List<ArchivePage>> directories = new HashMap<>();
        final java.util.Set<String> read = new java.util.HashSet<>();
        final java.util.Set<String> fresh = new java.util.HashSet<>();
        int next;

        @Override
        public List<PostEntry> entries(String ref) {
            if (!fresh.contains(ref)) {
                read.add(ref);
            }
            return entries.get(ref);
        }

        @Override
        public List<ArchivePage> directory(String ref) {
            if (!fresh.contains(ref)) {
                read.add(ref);
            }
            return directories.get(ref);
        }

        @Override
        public String storeEntries(List<PostEntry> list) {
            String ref = "e" + next++;
            fresh.add(ref);
            entries.put(ref, List.copyOf(list));
            return ref;
        }

        /** What was stored so far becomes state whose reads count, as after a commit. */
        void promote() {
            fresh.clear();
        }

        @Override
        public String storeDirectory(List<ArchivePage> pages) {
            String ref = "d" + next++;
            fresh.add(ref);
            directories.put(ref, List.copyOf(pages));
            return ref;
        }
    }

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void batchesOfInsertsUpdatesAndRemovalsEndWithThePagesOfAFreshCut(int seed) {
        Random random = new Random(seed);
        MemoryParts parts = new MemoryParts();
        Map<String, PostEntry> posts = new TreeMap<>();
        Optional<ListingMeta> meta = Optional.empty();
        Map<String, PageView> site = new HashMap<>();
        PageView front = PageView.EMPTY;
        int batches = 30 + random.nextInt(30);
        for (int b = 0; b < batches; b++) {
            List<Position> removals = new ArrayList<>();
            Map<String, PostEntry> insertions = new LinkedHashMap<>();
            // keys neither inserted nor removed in this batch yet, in key order as the batch began
            List<String> keys = new ArrayList<>(posts.keySet());
            int size = random.nextInt(4) == 0 ? 1 + random.nextInt(200) : 1 + random.nextInt(6);
            for (int i = 0; i < size; i++) {
                int action = random.nextInt(10);
                if (action < 2 && !keys.isEmpty()) {
                    String key = keys.remove(random.nextInt(keys.size()));
                    removals.add(posts.remove(key).position());
                } else if (action < 4 && !keys.isEmpty()) {
                    String key = keys.remove(random.nextInt(keys.size()));
                    removals.add(posts.get(key).position());
                    PostEntry updated = entry(key, random, b);
                    insertions.put(key, updated);
                    posts.put(key, updated);
                } else {
                    String key = "posts/p" + random.nextInt(100_000) + ".md";
                    if (posts.containsKey(key) || insertions.containsKey(key)) {
                        continue;
                    }
                    PostEntry entry = entry(key, random, b);
                    insertions.put(key, entry);
                    posts.put(key, entry);
                }
            }
            ListingEdit edit = ListingEditor.apply("", "", meta, removals, insertions.values(), parts);
            meta = edit.meta();
            assertThat(edit.frontBefore()).isEqualTo(front);
            front = edit.frontAfter();
            for (PageChange change : edit.archive()) {
                assertThat(brief(Optional.ofNullable(site.get(change.name())))).as("page " + change.name()
                        + " before, batch " + b).isEqualTo(brief(change.before()));
                change.after().ifPresentOrElse(view -> site.put(change.name(), view), () -> site.remove(change.name()));
            }
            Expected expected = expected(new ArrayList<>(posts.values()));
            assertThat(brief(Optional.of(front))).as("front page after batch " + b)
                    .isEqualTo(brief(Optional.of(expected.front)));
            assertThat(brief(site)).as("archive pages after batch " + b).isEqualTo(brief(expected.archive));
            assertThat(meta.map(ListingMeta::posts).orElse(0)).isEqualTo(posts.size());
        }
    }

    @Test
    void aNewestPostIntoALargeListingReadsOnlyTheFrontPageUnlessItClosesAPage() {
        MemoryParts parts = new MemoryParts();
        List<PostEntry> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            all.add(dated("posts/p" + i + ".md", LocalDate.of(2000, 1, 1).plusDays(i / 3)));
        }
        ListingEdit built = ListingEditor.apply("", "", Optional.empty(), List.of(), all, parts);
        assertThat(built.meta().orElseThrow().directory().size()).isGreaterThan(10);
        parts.promote();
        int pagesWritten = 0;
        int closings = 0;
        ListingEdit edit = null;
        for (int i = 0; i < 200; i++) {
            parts.read.clear();
            edit = ListingEditor.apply("", "", (edit == null ? built : edit).meta(), List.of(),
                    List.of(dated("posts/new" + i + ".md", LocalDate.of(2030, 1, 1).plusDays(i))), parts);
            parts.promote();
            if (edit.archive().isEmpty()) {
                assertThat(parts.read).as("reads for new post " + i).hasSize(1);
            } else {
                // a page closed: the directory's newest part, and the older neighbour whose link changes
                closings++;
                assertThat(parts.read).as("reads for new post " + i + ", which closed a page").hasSize(3);
                assertThat(edit.archive()).hasSize(2);
            }
            pagesWritten += edit.archive().size();
        }
        assertThat(closings).isBetween(200 / Pagination.PAGE_MAX, 200 / Pagination.PAGE_MIN);
        assertThat(pagesWritten).isEqualTo(2 * closings);
    }

    private static String brief(Optional<PageView> view) {
        return view.map(v -> v.posts().stream().map(e -> e.key().replace("posts/", "") + "@"
                + e.date().map(d -> d.iso()).orElse("-") + (e.title().contains(" v") ? e.title()
                .substring(e.title().indexOf(" v")) : "")).toList() + " newer=" + v.newer().orElse("/") + " older="
                + v.older().orElse("-")).orElse("(none)");
    }

    private static Map<String, String> brief(Map<String, PageView> site) {
        Map<String, String> out = new TreeMap<>();
        site.forEach((name, view) -> out.put(name, brief(Optional.of(view))));
        return out;
    }

    private record Expected(PageView front, Map<String, PageView> archive) {
    }

    private static Expected expected(List<PostEntry> posts) {
        posts.sort((a, b) -> a.position().compareTo(b.position()));
        List<List<PostEntry>> pages = Pagination.cut(posts);
        List<Integer> sizes = pages.stream().map(List::size).toList();
        int front = Pagination.frontPageCount(sizes);
        List<String> names = new ArrayList<>();
        for (List<PostEntry> page : pages.subList(Math.min(front, pages.size()), pages.size())) {
            names.add(Pagination.pageName(page.get(page.size() - 1)));
        }
        List<PostEntry> frontPosts = new ArrayList<>();
        pages.subList(0, Math.min(front, pages.size())).forEach(frontPosts::addAll);
        Map<String, PageView> archive = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            archive.put(names.get(i), new PageView(pages.get(front + i),
                    i == 0 ? Optional.empty() : Optional.of(names.get(i - 1)),
                    i + 1 < names.size() ? Optional.of(names.get(i + 1)) : Optional.empty()));
        }
        return new Expected(new PageView(frontPosts, Optional.empty(),
                names.isEmpty() ? Optional.empty() : Optional.of(names.get(0))), archive);
    }

    private static PostEntry entry(String key, Random random, int batch) {
        if (random.nextInt(15) == 0) {
            return PostEntry.builder(key, key.replace(".md", "/")).title(key + " v" + batch).build();
        }
        return dated(key, LocalDate.of(2020, 1, 1).plusDays(random.nextInt(900))).toBuilder()
                .title(key + " v" + batch).build();
    }

    private static PostEntry dated(String key, LocalDate day) {
        return PostEntry.builder(key, key.replace(".md", "/")).title(key)
                .date(Optional.of(new PostDate(day.atStartOfDay().atOffset(ZoneOffset.UTC), true))).build();
    }
}
