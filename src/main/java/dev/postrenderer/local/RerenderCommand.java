package dev.postrenderer.local;

import dev.postrenderer.aws.S3Clients;
import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.BatchResult;
import dev.postrenderer.publish.Publisher;
import dev.postrenderer.publish.SiteConfig;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code rerender}: renders every post again, after a layout, settings or release change. A
 * folder or a bucket is re-rendered here, on all cores; for a large site on AWS, {@code --batch}
 * writes an S3 Batch Operations manifest of the posts and prints the {@code aws s3control
 * create-job} command that has {@code RerenderFunction} re-render them in parallel.
 */
@Command(name = "rerender",
        description = {"Re-renders every post of a folder or a bucket, here on all cores, or through an S3 Batch"
                + " Operations job (--batch).",
                "The S3 client reads AWS_REGION, the AWS credentials and S3_ENDPOINT from the environment."},
        mixinStandardHelpOptions = true)
final class RerenderCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SOURCE_DIR", description = "A source folder (with --out).")
    private Path sourceDir;

    @Option(names = "--out", paramLabel = "SITE_DIR", description = "The site folder.")
    private Path siteDir;

    @Option(names = "--bucket", paramLabel = "SOURCE_BUCKET", description = "The source bucket.")
    private String bucket;

    @Option(names = "--site-bucket", paramLabel = "SITE_BUCKET", description = "The site bucket (env SITE_BUCKET).")
    private String siteBucket;

    @Option(names = "--endpoint", paramLabel = "URL", description = "An S3-compatible endpoint (env S3_ENDPOINT).")
    private String endpoint;

    @ArgGroup(exclusive = false)
    private Batch batch;

    /** What a Batch Operations job needs: the stack's outputs. */
    static final class Batch {
        @Option(names = "--batch", required = true, description = "Write a Batch Operations manifest and print the job command.")
        boolean enabled;

        @Option(names = "--function-arn", required = true, paramLabel = "ARN", description = "The stack's RerenderFunctionArn.")
        String functionArn;

        @Option(names = "--role-arn", required = true, paramLabel = "ARN", description = "The stack's BatchOperationsRoleArn.")
        String roleArn;

        @Option(names = "--account-id", required = true, paramLabel = "ID", description = "The AWS account of the job.")
        String accountId;

        @Option(names = "--csv", paramLabel = "FILE", defaultValue = "target/rerender-manifest.csv",
                description = "Where to write the manifest (default ${DEFAULT-VALUE}).")
        Path csv;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = new HashMap<>(System.getenv());
        if (siteBucket != null) {
            env.put("SITE_BUCKET", siteBucket);
        }
        if (endpoint != null) {
            env.put("S3_ENDPOINT", endpoint);
        }
        SiteConfig config;
        try {
            config = SiteConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (sourceDir != null && siteDir != null && bucket == null) {
            return build(new FileSystemStore(sourceDir), new FileSystemStore(siteDir), config, out, err);
        }
        if (bucket == null) {
            err.println("error: give SOURCE_DIR --out SITE_DIR, or --bucket SOURCE_BUCKET");
            return 2;
        }
        S3Client s3 = S3Clients.forCommandLine(env);
        S3ObjectStore source = new S3ObjectStore(s3, bucket);
        if (batch != null) {
            return batchJob(source, env, out);
        }
        if (config.siteBucket().isEmpty()) {
            err.println("error: --site-bucket (or SITE_BUCKET) names the bucket that receives the pages");
            return 2;
        }
        return build(source, new S3ObjectStore(s3, config.siteBucket().get()), config, out, err);
    }

    private static int build(ObjectStore source, ObjectStore site, SiteConfig config, PrintWriter out, PrintWriter err) {
        long started = System.nanoTime();
        BatchResult result = new Publisher(source, site, config).rebuild();
        result.rejected().forEach(rejection -> err.println("ERROR " + rejection.key() + ": " + rejection.problem()));
        result.failed().forEach(failure -> err.println("ERROR " + failure.key() + ": " + failure.error().getMessage()));
        int failed = result.rejected().size() + result.failed().size();
        out.printf("re-rendered %d objects, %d failed in %d ms%n", result.done().size(), failed,
                (System.nanoTime() - started) / 1_000_000);
        return failed == 0 ? 0 : 1;
    }

    private int batchJob(S3ObjectStore source, Map<String, String> env, PrintWriter out) throws Exception {
        StringBuilder csv = new StringBuilder();
        int posts = 0;
        for (ObjectInfo object : source.list("")) {
            // keys the function rejects anyway are left out
            if (SourceKey.ifValid(object.key()).filter(SourceKey::isMarkdown).isPresent()) {
                // keys URL-encoded, spaces as %20 and plus signs as %2B, so that any decoder reads them back
                csv.append(bucket).append(',').append(URLEncoder.encode(object.key(), StandardCharsets.UTF_8)
                        .replace("+", "%20")).append('\n');
                posts++;
            }
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        Path folder = batch.csv.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Files.write(batch.csv, bytes);
        String manifestKey = "_rerender/manifest-" + Instant.now().toEpochMilli() + ".csv";
        String region = env.getOrDefault("AWS_REGION", "us-east-1");
        out.printf("wrote %s: %d posts of s3://%s%n%n", batch.csv, posts, bucket);
        out.println("aws s3 cp " + batch.csv + " s3://" + bucket + "/" + manifestKey);
        // the manifest's entity tag as S3 gave it: with SSE-KMS it is not the MD5 of the file
        out.println("etag=$(aws s3api head-object --bucket " + bucket + " --key " + manifestKey
                + " --query ETag --output text | tr -d '\"')");
        out.println("aws s3control create-job --region " + region + " --account-id " + batch.accountId
                + " --no-confirmation-required --priority 10"
                + " --role-arn " + batch.roleArn
                + " --operation '{\"LambdaInvoke\":{\"FunctionArn\":\"" + batch.functionArn + "\"}}'"
                + " --manifest '{\"Spec\":{\"Format\":\"S3BatchOperations_CSV_20180820\",\"Fields\":[\"Bucket\",\"Key\"]},"
                + "\"Location\":{\"ObjectArn\":\"arn:aws:s3:::" + bucket + "/" + manifestKey
                + "\",\"ETag\":\"'\"$etag\"'\"}}'"
                + " --report '{\"Bucket\":\"arn:aws:s3:::" + bucket + "\",\"Prefix\":\"_rerender/reports\","
                + "\"Format\":\"Report_CSV_20180820\",\"Enabled\":true,\"ReportScope\":\"FailedTasksOnly\"}'");
        return 0;
    }
}
