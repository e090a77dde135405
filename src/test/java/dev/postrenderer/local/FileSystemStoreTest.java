package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.publish.PutOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStoreTest {

    private static final PutOptions HTML = new PutOptions("text/html; charset=utf-8", Optional.empty(), Map.of());

    @TempDir
    Path root;

    @Test
    void putReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        FileSystemStore store = new FileSystemStore(root);
        store.put("posts/a/index.html", "one".getBytes(), HTML);
        store.put("posts/a/index.html", "two".getBytes(), HTML);
        assertThat(store.get("posts/a/index.html").orElseThrow().content()).isEqualTo("two".getBytes());
        try (var files = Files.list(root.resolve("posts/a"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("index.html");
        }
    }

    @Test
    void aWriteLandsEvenWhenAConcurrentDeleteRemovesItsFolderLeftEmpty() throws Exception {
        FileSystemStore store = new FileSystemStore(root);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                String key = "img/" + thread + ".png";
                // each write may find the folder that it just created removed by another thread's delete
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 3_000; i++) {
                        store.put(key, "x".getBytes(), HTML);
                        store.delete(key);
                    }
                    store.put(key, "kept".getBytes(), HTML);
                }));
            }
            for (java.util.concurrent.Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        try (var files = Files.list(root.resolve("img"))) {
            assertThat(files.count()).isEqualTo(4);
        }
    }

    @Test
    void deleteRemovesFoldersLeftEmpty() {
        FileSystemStore store = new FileSystemStore(root);
        store.put("posts/a/index.html", "x".getBytes(), HTML);
        store.put("posts/b/index.html", "x".getBytes(), HTML);
        store.delete("posts/a/index.html");
        assertThat(root.resolve("posts/a")).doesNotExist();
        assertThat(root.resolve("posts/b/index.html")).exists();
        store.delete("posts/a/index.html");
    }

    @Test
    void listReturnsKeysInOrderWithSizes() {
        FileSystemStore store = new FileSystemStore(root);
        store.put("b.txt", "bb".getBytes(), HTML);
        store.put("a/c.txt", "c".getBytes(), HTML);
        assertThat(store.list("")).extracting(ObjectInfo::key, ObjectInfo::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a/c.txt", 1L), org.assertj.core.groups.Tuple.tuple("b.txt", 2L));
        assertThat(store.list("a/")).extracting(ObjectInfo::key).containsExactly("a/c.txt");
    }

    @Test
    void missingObjectsAreEmptyNotErrors() {
        FileSystemStore store = new FileSystemStore(root);
        assertThat(store.get("nope")).isEmpty();
        assertThat(store.head("nope")).isEmpty();
        assertThat(store.copyTo("nope", new FileSystemStore(root.resolve("other")), HTML)).isFalse();
    }

    @Test
    void keysCannotEscapeTheFolder() {
        FileSystemStore store = new FileSystemStore(root.resolve("site"));
        assertThatThrownBy(() -> store.put("../outside.html", "x".getBytes(), HTML))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(root.resolve("outside.html")).doesNotExist();
    }
}
