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
