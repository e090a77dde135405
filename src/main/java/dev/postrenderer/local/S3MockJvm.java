package dev.postrenderer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command that starts S3Mock's JVM: C1 only, the serial collector, and a class-data archive
 * of the classes its start loads. S3Mock is a Spring Boot application whose start costs about 14 s
 * of CPU with C2 and no archive and about 5 s with both, which on a small machine is the
 * difference between a {@code dev} session ready in 9 s and in 4 s. Spring Boot's archives need the
 * jar extracted ({@code -Djarmode=tools … extract}) and a training run that stops once the context
 * is up ({@code -Dspring.context.exit=onRefresh}); both are done once per jar and JDK, next to the
 * jar, under a lock every process on the machine takes. When they cannot be, S3Mock starts from
 * its jar as before and the reason is printed once.
 */
final class S3MockJvm {

    private static final long PREPARE_SECONDS = 120;
    private static final Object IN_PROCESS = new Object();

    private S3MockJvm() {
    }

    /** {@code java}, its options, and {@code -jar} with the jar to run: the extracted one when it is ready. */
    static List<String> command(Path jar) {
        List<String> command = new ArrayList<>(List.of(LocalS3.javaExecutable(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        Path cache = jar.resolveSibling(String.valueOf(jar.getFileName()).replaceFirst("\\.jar$", "") + ".cds");
        try {
            Prepared prepared = prepare(jar, cache);
            command.addAll(List.of("-XX:SharedArchiveFile=" + prepared.archive(),
                    // an archive this JDK cannot map (it was updated in place) is skipped silently
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", prepared.jar().toString()));
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            System.err.println("local S3: starting without a class-data archive (" + e.getMessage() + ")");
            command.addAll(List.of("-jar", jar.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            command.addAll(List.of("-jar", jar.toString()));
        }
        return command;
    }

    private record Prepared(Path jar, Path archive) {
    }

    private static Prepared prepare(Path jar, Path cache) throws IOException, InterruptedException {
        synchronized (IN_PROCESS) { // a FileLock is held per JVM, not per thread
            Files.createDirectories(cache);
            try (FileChannel channel = FileChannel.open(cache.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Path extracted = cache.resolve("app").resolve(String.valueOf(jar.getFileName()));
                if (!Files.isRegularFile(extracted) || olderThan(extracted, jar)) {
                    extract(jar, cache);
                }
                Path archive = cache.resolve(javaId() + ".jsa");
                if (!Files.isRegularFile(archive) || olderThan(archive, extracted)) {
                    record(cache, extracted, archive);
                }
                return new Prepared(extracted, archive);
            }
        }
    }

    private static void extract(Path jar, Path cache) throws IOException, InterruptedException {
        Path partial = cache.resolve("app.partial");
        deleteTree(partial);
        run(cache, List.of(LocalS3.javaExecutable(), "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(),
                "extract", "--destination", partial.toAbsolutePath().toString()), "extracting " + jar.getFileName());
        deleteTree(cache.resolve("app"));
        move(partial, cache.resolve("app"));
    }

    private static void record(Path cache, Path extracted, Path archive) throws IOException, InterruptedException {
        Path partial = Path.of(archive + ".partial");
        Path store = Files.createTempDirectory("s3mock-training");
        try {
            Files.deleteIfExists(partial);
            run(cache, List.of(LocalS3.javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:ArchiveClassesAtExit=" + partial.toAbsolutePath(), "-Dspring.context.exit=onRefresh",
                    "-Djava.io.tmpdir=" + store.toAbsolutePath(), // its web server's folders go with the store
                    "-jar", extracted.toAbsolutePath().toString(), "--http.port=0", "--server.port=0",
                    "--com.adobe.testing.s3mock.store.root=" + store.toAbsolutePath(), "--logging.level.root=WARN"),
                    "recording a class-data archive");
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IllegalStateException("the training run wrote no archive; see " + cache.resolve("training.log"));
            }
            move(partial, archive);
        } finally {
            deleteTree(store);
        }
    }

    private static void run(Path cache, List<String> command, String what) throws IOException, InterruptedException {
        Path log = cache.resolve("training.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(PREPARE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " took over " + PREPARE_SECONDS + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with status " + process.exitValue() + "; see " + log);
        }
    }

    /** The running JDK, so that each JDK gets an archive of its own. */
    private static String javaId() throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        return Integer.toHexString((home + " " + Runtime.version()).hashCode());
    }

    private static boolean olderThan(Path made, Path from) throws IOException {
        return Files.getLastModifiedTime(made).compareTo(Files.getLastModifiedTime(from)) < 0;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
