package dev.postrenderer.local;

import dev.postrenderer.publish.ETags;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code event put|delete --bucket NAME --key KEY [--file FILE] [--sqs]}: prints the S3 event
 * notification S3 sends for a change to one of your own objects (the key encoded as S3 encodes
 * it, the real size and ETag of the file), or the SQS batch Lambda hands the function when S3
 * notifies a queue. Like {@code sam local generate-event s3 put}, but for real files.
 */
@Command(name = "event",
        description = {"Prints the S3 event S3 sends for a put or a delete of one object, with the file's real size"
                + " and ETag and the key encoded as S3 encodes it; with --sqs, the SQS batch the function receives.",
                "Use it with invoke or sam local invoke: java -jar target/post-renderer.jar event put --bucket my-source"
                        + " --key posts/hello.md --file hello.md > event.json"},
        mixinStandardHelpOptions = true)
final class EventCommand implements Callable<Integer> {

    /** What happened to the object. */
    enum Change { put, delete }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "put|delete", description = "The change: put (ObjectCreated:Put) or delete"
            + " (ObjectRemoved:Delete).")
    private Change change;

    @Option(names = "--bucket", required = true, paramLabel = "NAME", description = "The source bucket's name.")
    private String bucket;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The object's key, as you wrote it"
            + " (not encoded), e.g. \"posts/C++ tips für Café.md\".")
    private String key;

    @Option(names = "--file", paramLabel = "FILE", description = "The file uploaded at KEY (put): its size and ETag go"
            + " into the event.")
    private Path file;

    @Option(names = "--sqs", description = "Print the SQS batch Lambda builds from the notification (the deployed trigger).")
    private boolean sqs;

    @Option(names = "--region", paramLabel = "REGION", description = "The bucket's region (default: AWS_REGION, else"
            + " us-east-1).")
    private String region;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String where = Optional.ofNullable(region).or(() -> Optional.ofNullable(System.getenv("AWS_REGION")))
                .orElse("us-east-1");
        String sequencer = String.format(Locale.ROOT, "%018X", Instant.now().toEpochMilli() * 1_000_000L
                + System.nanoTime() % 1_000_000L);
        String notification;
        if (change == Change.put) {
            if (file == null || !Files.isRegularFile(file)) {
                err.println("error: put needs --file, the file uploaded at " + key + (file == null ? "" : "; there is"
                        + " no file at " + file));
                return 2;
            }
            byte[] content = Files.readAllBytes(file);
            // the entity tag S3 gives an upload under its default encryption: with SSE-KMS, take it from head-object
            notification = LocalEvents.notification(LocalEvents.Change.put(bucket, key, content.length,
                    ETags.of(content), sequencer), where, !sqs);
        } else {
            notification = LocalEvents.notification(LocalEvents.Change.delete(bucket, key, sequencer), where, !sqs);
        }
        out.println(sqs ? LocalEvents.sqs(List.of(notification), "arn:aws:sqs:" + where + ":"
                + SamTemplate.LOCAL_ACCOUNT + ":post-renderer-PublishQueue", true) : notification);
        out.flush();
        return 0;
    }
}
