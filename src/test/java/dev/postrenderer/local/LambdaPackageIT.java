package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.testing.CodeSamples;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployment package stays small and its cold path lean: at most 9.25 MB, and a cold
 * invocation that publishes the seed post loads neither the runtime's reflective event
 * serialisation (the handler reads the event JSON itself) nor anything the package leaves out.
 * The classes it loads are counted in {@code target/cold-classes.txt}.
 */
class LambdaPackageIT {

    /** What the zip may weigh: issue 13's 9 MB, and 0.25 MB for the highlighter's token makers. */
    static final long MAX_ZIP_BYTES = 9_250_000;

    private static final S3MockServer S3 = S3MockServer.get();

    @Test
    void theDeploymentPackageIsAtMostNineAndAQuarterMegabytes() throws Exception {
        assertThat(Files.size(Path.of("target/post-renderer-lambda.zip")))
                .as("target/post-renderer-lambda.zip in bytes (unzip -l it to see what grew)")
                .isLessThanOrEqualTo(MAX_ZIP_BYTES);
    }

    /** The package holds only some of RSyntaxTextArea's classes: each language must still get its own tokenizer. */
    @Test
    void thePackagedFunctionHighlightsEverySupportedLanguage() throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        byte[] post = CodeSamples.post().getBytes(UTF_8);
        s3.putObject(b -> b.bucket(source).key("posts/languages.md"), RequestBody.fromBytes(post));
        byte[] event = S3Events.event().put(source, "posts/languages.md", post.length, ETags.of(post), "0A1B2C")
                .sqs().getBytes(UTF_8);

        Invoked invoked = invoke(event, site, List.of());

        assertThat(invoked.report().success()).as(invoked.logs() + invoked.report().payload()).isTrue();
        String page = s3.getObjectAsBytes(b -> b.bucket(site).key("posts/languages/index.html")).asUtf8String();
        CodeSamples.BY_LANGUAGE.forEach((language, sample) -> assertThat(page).as(language).contains(sample[1]));
    }

    @Test
    void aColdInvocationNeverLoadsTheRuntimesEventSerialisation(@TempDir Path work) throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        s3.putObject(b -> b.bucket(source).key("posts/ai-art.md"),
                RequestBody.fromBytes(Files.readAllBytes(Path.of("examples/site/posts/ai-art.md"))));
        Path classes = work.resolve("classes.log");

        byte[] event = Files.readString(Path.of("events/sqs-s3-put.json")).replace("\\\"source\\\"",
                "\\\"" + source + "\\\"").getBytes(UTF_8);

        Invoked invoked = invoke(event, site, List.of("-Xlog:class+load=info:file=" + classes));
        LocalInvoke.Report report = invoked.report();
        String logs = invoked.logs();

        assertThat(report.success()).as(logs + report.payload()).isTrue();
        assertThat(logs).contains("\"action\":\"RENDERED\"");
        List<String> loaded = Files.readAllLines(classes);
        // the runtime interface client itself always loads serialization.util.ReflectUtil to look the
        // handler up; the event serialisers and their shaded jackson-databind are what must stay out
        assertThat(loaded).as("classes of the runtime's reflective serialisation")
                .noneMatch(line -> line.contains("com.amazonaws.services.lambda.runtime.serialization.")
                        && !line.contains("com.amazonaws.services.lambda.runtime.serialization.util."))
                .noneMatch(line -> line.contains("lambda.thirdparty.com.fasterxml.jackson"));
        Files.writeString(Path.of("target/cold-classes.txt"), loaded.size() + " classes loaded by a cold invocation"
                + " that publishes the seed post\n");
    }

    /** What one invocation of the packaged function printed and reported. */
    private record Invoked(LocalInvoke.Report report, String logs) {
    }

    /** The packaged function, as the template configures it, handling an event. */
    private static Invoked invoke(byte[] event, String site, List<String> jvmOptions) throws Exception {
        SamTemplate.Function function = SamTemplate.read(Path.of("template.yaml")).function("PublishFunction",
                Map.of("SiteBucketName", site, "SiteUrl", "https://blog.example.com"), "us-east-1");
        Map<String, String> env = InvokeCommand.environment(function, Map.of(),
                Map.of("S3_ENDPOINT", S3.endpoint().toString()), "us-east-1", new PrintWriter(new StringWriter()));
        List<Path> runtimeJars;
        try (Stream<Path> jars = Files.list(Path.of("target/tools/runtime"))) {
            runtimeJars = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
        }
        StringWriter logs = new StringWriter();
        LocalInvoke.Report report = new LocalInvoke(Path.of("target/post-renderer-lambda.zip"), runtimeJars,
                JavaRuntimes.forRuntime(function.runtime()).java(), function.runtime())
                .invoke(LocalInvoke.Invocation.builder(function.handler(), event).environment(env)
                        .memoryMb(function.memoryMb()).timeout(Duration.ofSeconds(60)).jvmOptions(jvmOptions).build(),
                        new PrintWriter(logs, true))
                .get(0);
        return new Invoked(report, logs.toString());
    }
}
