package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.S3MockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code sam build} does with {@code BuildMethod: makefile}, done by hand: the code copied to
 * a scratch folder, {@code make build-PublishFunction ARTIFACTS_DIR=…} run there, and the
 * artifacts run under the runtime interface client with the template's handler, runtime, memory
 * and environment, against S3Mock. They are what {@code invoke} runs: the contents of
 * {@code target/post-renderer-lambda.zip}. The copy carries the package this build made, newer than
 * its sources, which make reuses rather than build again (it would, for a source newer than it).
 */
class SamBuildIT {

    private static final S3MockServer S3 = S3MockServer.get();

    @Test
    void whatSamBuildDeploysPublishesAPostUnderTheRuntimeClient(@TempDir Path work) throws Exception {
        Path code = work.resolve("code");
        copyProject(Path.of("."), code);
        Path artifacts = work.resolve("artifacts");
        Files.createDirectories(artifacts);

        assertThat(make(code, "-n", "build-PublishFunction", "ARTIFACTS_DIR=" + artifacts))
                .as("a package newer than its sources is reused").doesNotContain("mvn ");
        Process make = new ProcessBuilder("make", "build-PublishFunction", "ARTIFACTS_DIR=" + artifacts)
                .directory(code.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("make.log").toFile())
                .start();
        assertThat(make.waitFor(15, TimeUnit.MINUTES)).as("make build-PublishFunction ended").isTrue();
        assertThat(make.exitValue()).as(Files.readString(work.resolve("make.log"))).isZero();
        assertThat(files(artifacts)).as("the artifacts are the deployment package invoke runs")
                .isEqualTo(zipEntries(Path.of("target/post-renderer-lambda.zip")));
        Path handler = code.resolve("src/main/java/dev/postrenderer/aws/PublishHandler.java");
        Files.setLastModifiedTime(handler, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(make(code, "-n", "build-PublishFunction", "ARTIFACTS_DIR=" + artifacts))
                .as("a source newer than the package builds it again").contains("mvn -B -q -DskipTests");

        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        s3.putObject(b -> b.bucket(source).key("posts/ai-art.md"),
                RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site/posts/ai-art.md"))));
        SamTemplate.Function function = SamTemplate.read(code.resolve("template.yaml"))
                .function("PublishFunction", Map.of("SiteBucketName", site, "SiteUrl", "https://blog.example.com"),
                        "us-east-1");
        Map<String, String> env = InvokeCommand.environment(function, Map.of(),
                Map.of("S3_ENDPOINT", S3.endpoint().toString()), "us-east-1", new PrintWriter(new StringWriter()));
        List<Path> runtimeJars;
        try (Stream<Path> jars = Files.list(Path.of("target/tools/runtime"))) {
            runtimeJars = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
        }
        JavaRuntimes.Jdk jdk = JavaRuntimes.forRuntime(function.runtime());
        StringWriter logs = new StringWriter();
        byte[] event = Files.readString(Path.of("events/s3-put.json")).replace("\"source\"", "\"" + source + "\"")
                .replace("arn:aws:s3:::source", "arn:aws:s3:::" + source).getBytes(UTF_8);

        LocalInvoke.Report report = new LocalInvoke(artifacts, runtimeJars, jdk.java(), function.runtime())
                .invoke(LocalInvoke.Invocation.builder(function.handler(), event).environment(env)
                        .memoryMb(function.memoryMb()).timeout(Duration.ofSeconds(function.timeoutSeconds())).build(),
                        new PrintWriter(logs, true)).get(0);

        assertThat(report.success()).as(logs + report.payload()).isTrue();
        assertThat(report.payload()).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(logs.toString()).contains("\"key\":\"posts/ai-art.md\"", "\"action\":\"RENDERED\"");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(site).key("posts/ai-art/index.html")).asUtf8String())
                .contains("<title>The Cutting-Edge Technology Behind AI Art</title>");
    }

    /**
     * The project as sam build copies it (CodeUri "."), with the package this build made and without
     * the rest of what a build leaves; modification times kept, as a copy of a folder keeps them.
     */
    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                if (Set.of("target", ".git", ".aws-sam", ".idea").contains(first)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(to.resolve("target"));
        Files.copy(from.resolve("target/post-renderer-lambda.zip"), to.resolve("target/post-renderer-lambda.zip"),
                StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** What make prints, run in {@code folder}. */
    private static String make(Path folder, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("make"));
        command.addAll(List.of(arguments));
        Process make = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes(), UTF_8);
        assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(make.exitValue()).as(output).isZero();
        return output;
    }

    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new TreeSet<>(walk.filter(Files::isRegularFile).map(path -> root.relativize(path).toString()).toList());
        }
    }

    private static Set<String> zipEntries(Path zip) throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.isDirectory()) {
                    names.add(entry.getName());
                }
            }
        }
        return names;
    }
}
