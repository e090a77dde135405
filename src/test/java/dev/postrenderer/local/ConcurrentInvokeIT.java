package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.testing.Cli;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code invoke}s started at once, as a bulk upload's batches are: every one succeeds. Each
 * runtime has a sandbox of its own, so none can overwrite the runtime client's JNI library while
 * another maps it (measured before the sandbox: a SIGBUS in {@code ld-linux} in 1 of 4 runs).
 * {@value #AT_ONCE_PROPERTY} at once in each of {@value #ROUNDS_PROPERTY} rounds (4 in 1 by
 * default; {@code ./verify.sh --scale} runs 8 in each of 3).
 */
@org.junit.jupiter.api.Order(4) // among the longest: started first
class ConcurrentInvokeIT {

    static final String ROUNDS_PROPERTY = "invoke.rounds";
    private static final int ROUNDS = Integer.getInteger(ROUNDS_PROPERTY, 1);
    static final String AT_ONCE_PROPERTY = "invoke.concurrent";
    private static final int AT_ONCE = Integer.getInteger(AT_ONCE_PROPERTY, 8);
    private static final S3MockServer S3 = S3MockServer.get();

    @Test
    void invokesStartedAtOnceAllSucceedRoundAfterRound(@TempDir Path work) throws Exception {
        String site = S3.newBucket("site");
        String source = S3.newBucket("source");
        // one SQS message: S3's test event, which the function takes and ignores after its whole start-up
        Path event = Files.writeString(work.resolve("event.json"),
                S3Events.sqs(List.of(S3Events.message("m0", S3Events.testEvent(source)))));
        Path env = Files.writeString(work.resolve("env.json"), "{\"PublishFunction\":{\"SITE_BUCKET\":\"" + site
                + "\",\"S3_ENDPOINT\":\"" + S3.endpoint() + "\"}}");
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        List<String> failures = new ArrayList<>();
        int succeeded = 0;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                List<Future<String>> runs = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    runs.add(pool.submit(() -> invoke(event, env)));
                }
                for (Future<String> run : runs) {
                    String output = run.get();
                    if (output.contains("{\"batchItemFailures\":[]}") && output.contains("REPORT RequestId:")
                            && !output.contains("SIGBUS")) {
                        succeeded++;
                    } else {
                        failures.add(output);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("invocations that failed").isEmpty();
        assertThat(succeeded).isEqualTo(ROUNDS * AT_ONCE);
        Files.writeString(Path.of("target/concurrent-invokes.txt"), succeeded + " of " + ROUNDS * AT_ONCE
                + " invocations succeeded, " + AT_ONCE + " at a time in " + ROUNDS + " round(s)\n");
    }

    private static String invoke(Path event, Path env) throws IOException, InterruptedException {
        ProcessBuilder builder = Cli.builder(List.of("invoke", "--event", event.toString(), "--env-vars",
                env.toString()));
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("S3_ENDPOINT"));
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException e) {
                output.writeBytes(("(output ended: " + e + ")").getBytes(UTF_8));
            }
        });
        reader.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        return "exit " + process.exitValue() + "\n" + output.toString(UTF_8);
    }
}
