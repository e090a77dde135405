package dev.postrenderer.local;

import dev.postrenderer.publish.ContentHash;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.StoreException;
import dev.postrenderer.publish.StoredObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder used as an object store: key {@code posts/a/index.html} is the file at that relative
 * path. Writes go to a temporary file in the same folder, then are moved into place atomically,
 * so a crash never leaves a half-written file. Entity tags are the MD5 of the bytes, as S3's
 * are for objects uploaded in one part without SSE-KMS, and content hashes are computed from the
 * file; content type and metadata are not kept, as a folder has nowhere to keep them. Thread-safe; conditional writes are atomic within one process.
 */
public final class FileSystemStore implements ObjectStore {

    private static final String TEMP_PREFIX = ".post-renderer-";

    private final Path root;

    public FileSystemStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The folder this store writes to. */
    public Path root() {
        return root;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        Path file = path(key);
        try {
            byte[] content = Files.readAllBytes(file);
            return Optional.of(new StoredObject(info(key, content), content));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(key, "cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, int length) {
        Path file = path(key);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new StoreException(key, "the range " + offset + "+" + length + " is past the end of " + file,
                            null);
                }
            }
            return Optional.of(buffer.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(key, "cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        Path file = path(key);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(info(key, Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(key, "cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public void put(String key, byte[] content, PutOptions options) {
        write(key, content);
    }

    @Override
    public Optional<String> put(String key, byte[] content, PutOptions options, Precondition precondition) {
        synchronized (this) {
            Optional<String> current = head(key).flatMap(ObjectInfo::etag);
            boolean holds = precondition instanceof Precondition.Matching matching
                    ? current.equals(Optional.of(matching.etag()))
                    : current.isEmpty();
            if (!holds) {
                return Optional.empty();
            }
            write(key, content);
            return info(key, content).etag();
        }
    }

    private void write(String key, byte[] content) {
        Path file = path(key);
        try {
            Path temp = inFolderOf(file, into -> Files.write(into, content, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
            try {
                moveIntoPlace(temp, file);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new StoreException(key, "cannot write " + file + ": " + e, e);
        }
    }

    /** How often a write makes its folder again when concurrent deletes keep removing it. */
    private static final int FOLDER_ATTEMPTS = 50;

    /** How a temporary file is filled. */
    @FunctionalInterface
    private interface Fill {
        void into(Path temp) throws IOException;
    }

    /**
     * Creates and fills a temporary file in the folder of {@code file}, creating the folder; again
     * if a concurrent {@link #delete} removed the folder, left empty, before the file was in it.
     */
    private static Path inFolderOf(Path file, Fill fill) throws IOException {
        Path folder = folderOf(file);
        for (int attempt = 1; ; attempt++) {
            Path temp = temporary(folder);
            try {
                Files.createDirectories(folder);
                fill.into(temp);
                return temp;
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                // the folder (or a parent) went between being made and being used, or came back while being made
                boolean raced = e.getFile() != null && folder.startsWith(Path.of(e.getFile()))
                        || temp.toString().equals(e.getFile());
                if (!raced || attempt == FOLDER_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public boolean copyTo(String key, ObjectStore target, PutOptions options) {
        if (!(target instanceof FileSystemStore folder)) {
            return ObjectStore.super.copyTo(key, target, options);
        }
        Path from = path(key);
        Path to = folder.path(key);
        try {
            Path temp = inFolderOf(to, into -> Files.copy(from, into));
            try {
                moveIntoPlace(temp, to);
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (NoSuchFileException e) {
            if (!from.toString().equals(e.getFile())) {
                throw new StoreException(key, "cannot copy " + from + " to " + to + ": " + e, e);
            }
            return false;
        } catch (IOException e) {
            throw new StoreException(key, "cannot copy " + from + " to " + to + ": " + e, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = path(key);
        try {
            Files.deleteIfExists(file);
            // leave no empty folders behind, as S3 has none
            for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new StoreException(key, "cannot delete " + file + ": " + e, e);
        }
    }

    @Override
    public boolean delete(String key, String etag) {
        synchronized (this) {
            Optional<String> current = head(key).flatMap(ObjectInfo::etag);
            if (current.isPresent() && !current.get().equals(etag)) {
                return false;
            }
            delete(key);
            return true;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(this::keyOf)
                    .filter(key -> key.startsWith(prefix) && !isTemporary(key))
                    .sorted()
                    .map(key -> new ObjectInfo(key, size(key), Optional.empty(), Map.of()))
                    .toList();
        } catch (IOException e) {
            throw new StoreException(prefix, "cannot list " + root + ": " + e, e);
        }
    }

    private long size(String key) {
        try {
            return Files.size(path(key));
        } catch (IOException e) {
            throw new StoreException(key, "cannot read " + key + ": " + e, e);
        }
    }

    /**
     * A fresh name for a file being written. The file itself is created by the write, so it gets
     * the permissions the umask gives any new file (0644 here), where {@code createTempFile} would
     * make it 0600 and a web server serving the folder would answer 403.
     */
    private static Path temporary(Path folder) {
        return folder.resolve(TEMP_PREFIX + java.util.UUID.randomUUID() + ".tmp");
    }

    private static void moveIntoPlace(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The folder of a file of this store, which is never the root itself (see {@link #path}). */
    private static Path folderOf(Path file) {
        return java.util.Objects.requireNonNull(file.getParent(), "a key's file has a folder");
    }

    private Path path(String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("key escapes the folder: " + key);
        }
        return file;
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean isTemporary(String key) {
        return key.substring(key.lastIndexOf('/') + 1).startsWith(TEMP_PREFIX);
    }

    /** The entity tag S3 gives an object uploaded in one part (the MD5 of its bytes), and the content's hash. */
    private static ObjectInfo info(String key, byte[] content) {
        return new ObjectInfo(key, content.length, Optional.of(ETags.of(content)), Map.of(),
                Optional.of(ContentHash.of(content)));
    }
}
