package dev.postrenderer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * What one invocation has to itself, as a Lambda execution environment does: a task folder holding
 * the deployment package, read-only ({@code /var/task}); a temporary folder for everything the
 * runtime and the function write ({@code /tmp}); and the runtime's own files, here the runtime
 * interface client's JNI library, which Lambda keeps at a fixed read-only path of its runtime
 * ({@code /var/runtime/lib/jni}) rather than letting the client extract it to {@code /tmp}, where
 * concurrent runtimes on one machine would overwrite the file another is mapping. Deleted on close.
 */
final class Sandbox implements AutoCloseable {

    private final Path root;
    private final Path task;
    private final Path tmp;
    private final Map<String, Long> taskFiles;

    private Sandbox(Path root, Path task, Path tmp, Map<String, Long> taskFiles) {
        this.root = root;
        this.task = task;
        this.tmp = tmp;
        this.taskFiles = taskFiles;
    }

    /**
     * Lays out a sandbox for a deployment package: a zip, or a folder holding its contents (what
     * {@code sam build} leaves in its artifacts folder), copied in either way, then made read-only.
     */
    static Sandbox create(Path deployed) throws IOException {
        return create(newRoot(), deployed);
    }

    /** A new, empty folder for a sandbox, so that its removal can be arranged before it is filled ({@link Teardown}). */
    static Path newRoot() throws IOException {
        return Files.createTempDirectory("post-renderer-invoke");
    }

    /** Lays out a sandbox in {@code root}, a folder {@link #newRoot()} made. */
    static Sandbox create(Path root, Path deployed) throws IOException {
        try {
            Path task = root.resolve("task");
            if (Files.isDirectory(deployed)) {
                copyTree(deployed, task);
            } else {
                unzip(deployed, task);
            }
            Path tmp = Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(root.resolve("runtime"));
            Map<String, Long> files = fingerprint(task);
            readOnly(task);
            return new Sandbox(root, task, tmp, files);
        } catch (IOException | RuntimeException e) {
            deleteTree(root);
            throw e;
        }
    }

    /** The task folder, the function's working directory and {@code LAMBDA_TASK_ROOT}. */
    Path task() {
        return task;
    }

    /** The function's temporary folder ({@code TMPDIR}, {@code java.io.tmpdir}). */
    Path tmp() {
        return tmp;
    }

    /**
     * The runtime interface client's JNI library for this machine, copied out of the client's jar
     * into the runtime folder of this sandbox; empty if the jar holds none for this platform.
     */
    Optional<Path> jniLibrary(Path runtimeClientJar) throws IOException {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        try (ZipFile jar = new ZipFile(runtimeClientJar.toFile())) {
            ZipEntry entry = jar.getEntry("jni/libaws-lambda-jni.linux-" + arch + ".so");
            if (entry == null) {
                return Optional.empty();
            }
            Path library = root.resolve("runtime").resolve("libaws-lambda-jni.so");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(library);
        }
    }

    /** Files of the task folder that were added, changed or removed since it was laid out. */
    List<String> taskChanges() throws IOException {
        Map<String, Long> now = fingerprint(task);
        List<String> changed = new ArrayList<>();
        now.forEach((path, stamp) -> {
            if (!stamp.equals(taskFiles.get(path))) {
                changed.add(path);
            }
        });
        taskFiles.keySet().stream().filter(path -> !now.containsKey(path)).forEach(changed::add);
        return changed;
    }

    @Override
    public void close() {
        deleteTree(root);
    }

    /** Size and modification time of every file under a folder, by relative path. */
    private static Map<String, Long> fingerprint(Path folder) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(path).toString(),
                        Files.size(path) * 31 + Files.getLastModifiedTime(path).toMillis());
            }
        }
        return files;
    }

    /** Files r--, folders r-x: as on Lambda (a process running as root here can still write; {@link #taskChanges} tells). */
    private static void readOnly(Path folder) throws IOException {
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry escapes its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(java.util.Objects.requireNonNull(file.getParent(), "an entry's folder"));
                    Files.copy(in, file);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes a tree that a process or thread being stopped at the same time (the local S3, an
     * invocation's set-up) may still write into for a moment: up to 50 attempts, 100 ms apart;
     * then it says what is left.
     */
    static void deleteTreeWhenReleased(Path root) {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteTree(root);
                return;
            } catch (UncheckedIOException e) {
                if (attempt == 50) {
                    System.err.println("could not remove " + root + ": " + e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Deletes a tree, making its read-only folders writable first. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : all) {
                if (Files.isDirectory(path) && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                }
            }
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the sandbox " + root + ": " + e.getMessage(), e);
        }
    }
}
