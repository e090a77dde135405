package dev.postrenderer.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.testing.Cli;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Lambda's timeout, as {@code invoke} enforces it and as the function keeps inside it: a batch too
 * large for its timeout reports what it did not finish as {@code batchItemFailures} instead of
 * timing out, and delivering just those again, as SQS does, publishes the rest; a runtime that
 * outlives its timeout is stopped, and the invocation ends as Lambda ends it.
 */
@Isolated
class InvokeTimeoutIT {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POSTS = 400;
    private static final int MAX_DELIVERIES = 8;

    @Test
    void aBatchTooLargeForAThreeSecondTimeoutReportsWhatItDidNotFinishAndRedeliveriesPublishTheRest(@TempDir Path work)
            throws Exception {
        S3Client s3 = S3.client();
        String source = S3.newBucket("source");
        String site = S3.newBucket("site");
        Map<String, ObjectNode> messages = new LinkedHashMap<>();
        for (int i = 0; i < POSTS; i++) {
            String key = String.format("posts/p%03d.md", i);
            byte[] content = ("---\ntitle: Post " + i + "\ndate: " + LocalDate.of(2024, 1, 1).plusDays(i)
                    + "\ntags: [t" + (i % 7) + "]\n---\n\nThe body of post " + i + ", *with* some **markdown**.\n")
                    .getBytes(UTF_8);
            s3.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
            String notification = S3Events.event().put(source, key, content.length, ETags.of(content),
                    String.format("%016X", 0x1000 + i)).json();
            messages.put("m" + i, S3Events.message("m" + i, notification));
        }
        Path template = Files.writeString(work.resolve("template.yaml"), Files.readString(Path.of("template.yaml"))
                .replace("    Timeout: 300\n", "    Timeout: 3\n"));
        assertThat(Files.readString(template)).contains("    Timeout: 3\n");
        Path env = Files.writeString(work.resolve("env.json"), "{\"PublishFunction\":{\"SITE_BUCKET\":\"" + site
                + "\",\"SITE_URL\":\"https://blog.example.com\",\"S3_ENDPOINT\":\"" + S3.endpoint() + "\"}}");

        List<Integer> unfinished = new ArrayList<>();
        Map<String, ObjectNode> pending = messages;
        for (int delivery = 1; !pending.isEmpty(); delivery++) {
            assertThat(delivery).as("deliveries until every message is handled; unfinished after each: " + unfinished)
                    .isLessThanOrEqualTo(MAX_DELIVERIES);
            Path event = Files.writeString(work.resolve("event-" + delivery + ".json"),
                    S3Events.sqs(new ArrayList<>(pending.values())));
            String output = invoke(List.of("--event", event.toString(), "--env-vars", env.toString(), "--template",
                    template.toString()));
            assertThat(output).as(output).doesNotContain("Task timed out").contains("3 s timeout")
                    .containsPattern("REPORT RequestId: \\S+\\tDuration: (\\d{1,3}|[0-2]\\d{3})\\.\\d\\d ms");
            Set<String> failed = failedMessages(output);
            assertThat(pending.keySet()).as("a batch reports only messages it was given").containsAll(failed);
            unfinished.add(failed.size());
            Map<String, ObjectNode> next = new LinkedHashMap<>();
            for (String id : failed) {
                next.put(id, pending.get(id));
            }
            pending = next;
        }

        assertThat(unfinished.get(0)).as("the first delivery could not finish 400 posts in 3 s").isPositive();
        assertThat(PublishedState.posts(new S3ObjectStore(s3, site))).hasSize(POSTS);
        for (int i = 0; i < POSTS; i += 37) {
            String key = String.format("posts/p%03d/index.html", i);
            assertThat(s3.headObject(b -> b.bucket(site).key(key)).contentLength()).as(key).isPositive();
        }
        Files.writeString(Path.of("target/invoke-timeout.txt"), POSTS + " posts in one SQS batch, function timeout"
                + " 3 s: messages left unfinished after each delivery " + unfinished + "\n");
    }

    @Test
    void aRuntimeThatOutlivesItsTimeoutIsStoppedAndTheInvocationTimesOutAsOnLambda(@TempDir Path work)
            throws Exception {
        // a runtime that takes the event and never answers
        Path runtime = Files.writeString(work.resolve("never-answers.js"), """
                const api = process.env.AWS_LAMBDA_RUNTIME_API;
                require('http').get('http://' + api + '/2018-06-01/runtime/invocation/next', response => {
                  response.resume();
                  setInterval(() => {}, 1000);
                });
                """);
        Path template = Files.writeString(work.resolve("template.yaml"), Files.readString(Path.of("template.yaml"))
                .replace("    Timeout: 300\n", "    Timeout: 3\n"));

        long started = System.nanoTime();
        Cli.Result result = Cli.run(List.of("invoke", "--on-demand", "--event", "events/s3-put.json", "--template",
                template.toString(), "--runtime-command", "node " + runtime), Map.of());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(result.status()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("Task timed out after 3.00 seconds").contains("\tStatus: timeout");
        assertThat(millis).as("stopped at its timeout, not left to run").isLessThan(20_000);
        assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("")
                .contains(runtime.toString()))).as("the runtime's process").isEmpty();
    }

    private static Set<String> failedMessages(String output) throws IOException {
        String payload = output.lines().filter(line -> line.startsWith("{\"batchItemFailures\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no batch response in:\n" + output));
        Set<String> ids = new TreeSet<>();
        for (JsonNode item : JSON.readTree(payload).path("batchItemFailures")) {
            ids.add(item.path("itemIdentifier").asText());
        }
        return ids;
    }

    private static String invoke(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("invoke"));
        command.addAll(arguments);
        Cli.Result result = Cli.run(command, Map.of());
        assertThat(result.status()).as(result.output()).isZero();
        return result.output();
    }

}
