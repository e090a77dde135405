package dev.postrenderer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/post-renderer}, the README's command, in a checkout of its own: the first run records
 * the class-data archive and still does the job, later runs use it, and both write the same site.
 */
class LauncherIT {

    @Test
    void theLauncherRendersTheExampleSiteAndRecordsItsClassDataArchiveOnce(@TempDir Path checkout) throws Exception {
        Files.createDirectories(checkout.resolve("bin"));
        Files.createDirectories(checkout.resolve("target"));
        Files.copy(Path.of("bin/post-renderer"), checkout.resolve("bin/post-renderer"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("target/post-renderer.jar"), checkout.resolve("target/post-renderer.jar"));
        copyTree(Path.of("target/lib"), checkout.resolve("target/lib"));
        copyTree(Path.of("examples/site"), checkout.resolve("examples/site"));

        Run first = run(checkout, "first");
        List<Path> archives = archives(checkout);
        Run second = run(checkout, "second");

        assertThat(first.status).as(first.output).isZero();
        assertThat(first.output).contains("recording a class-data archive", "rendered 8 posts");
        assertThat(archives).as("target/cds after the first run").hasSize(1);
        assertThat(Files.size(archives.get(0))).isPositive();
        assertThat(second.status).as(second.output).isZero();
        assertThat(second.output).doesNotContain("recording").contains("rendered 8 posts");
        assertThat(archives(checkout)).isEqualTo(archives);
        assertThat(Files.readString(checkout.resolve("second/posts/ai-art/index.html")))
                .isEqualTo(Files.readString(checkout.resolve("first/posts/ai-art/index.html")));
    }

    @Test
    void onItsFirstRunTheLauncherBecomesTheJvmSoThatSigtermStopsTheCommandAndItsServer(@TempDir Path checkout)
            throws Exception {
        Files.createDirectories(checkout.resolve("bin"));
        Files.createDirectories(checkout.resolve("target/tools"));
        Files.copy(Path.of("bin/post-renderer"), checkout.resolve("bin/post-renderer"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("target/post-renderer.jar"), checkout.resolve("target/post-renderer.jar"));
        Files.copy(Path.of("target/tools/s3mock-5.2.0-exec.jar"), checkout.resolve("target/tools/s3mock-5.2.0-exec.jar"));
        copyTree(Path.of("target/lib"), checkout.resolve("target/lib"));
        copyTree(Path.of("examples/site"), checkout.resolve("examples/site"));
        Path log = checkout.resolve("dev.log");

        // no class-data archive yet: the launcher records one, then runs the command
        Process launcher = new ProcessBuilder(checkout.resolve("bin/post-renderer").toString(), "dev",
                "examples/site", "--port", "0").directory(checkout.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!(launcher.info().command().orElse("").endsWith("java") && Files.readString(log).contains("serving"))) {
                assertThat(System.nanoTime() < deadline).as("the launcher's process runs dev as java: "
                        + launcher.info().command().orElse("?") + "\n" + Files.readString(log)).isTrue();
                assertThat(launcher.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(200);
            }
            List<ProcessHandle> children = launcher.descendants().toList();
            assertThat(children).as("the local S3").isNotEmpty();

            launcher.destroy(); // SIGTERM, as a script's trap or a service manager sends it

            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("dev stops").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("the local S3 is stopped with dev").isFalse();
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private record Run(int status, String output) {
    }

    private static Run run(Path checkout, String out) throws Exception {
        Process process = new ProcessBuilder(checkout.resolve("bin/post-renderer").toString(), "render",
                "examples/site", "--out", out)
                .directory(checkout.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static List<Path> archives(Path checkout) throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("target/cds"))) {
            return files.sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
