package dev.postrenderer.local;

import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.ObjectStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A folder keeps the store contract (a folder keeps no user metadata: the one thing it cannot). */
class FileSystemStoreContractTest extends ObjectStoreContract {

    @TempDir
    Path folders;

    @Override
    protected ObjectStore store() {
        try {
            return new FileSystemStore(Files.createTempDirectory(folders, "store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean keepsMetadata() {
        return false;
    }
}
