package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3BatchEvent;
import com.amazonaws.services.lambda.runtime.events.S3BatchResponse;
import com.amazonaws.services.lambda.runtime.events.S3BatchResponse.ResultCode;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 Batch Operations handler against S3Mock, with batch events loaded as Lambda loads them. */
class S3BatchHandlerTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private final S3Client s3 = S3.client();
    private final String source = S3.newBucket("source");
    private final String site = S3.newBucket("site");
    private final SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
            "SITE_URL", "https://blog.example.com"));

    private S3BatchEvent event(List<String[]> tasks) {
        StringBuilder json = new StringBuilder("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv-1\","
                + "\"job\":{\"id\":\"job-1\"},\"tasks\":[");
        for (int i = 0; i < tasks.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(tasks.get(i)[0]).append("\",\"s3Key\":\"")
                    .append(tasks.get(i)[1]).append("\",\"s3VersionId\":null,\"s3BucketArn\":\"arn:aws:s3:::")
                    .append(source).append("\"}");
        }
        json.append("]}");
        return LambdaEventSerializers.serializerFor(S3BatchEvent.class, getClass().getClassLoader())
                .fromJson(json.toString());
    }

    private S3BatchHandler handler(S3Client client) {
        return new S3BatchHandler(client, config, new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "batch");
    }

    @Test
    void eachTaskGetsItsResultCode() {
        s3.putObject(b -> b.bucket(source).key("posts/good one.md"), RequestBody.fromString("# Good\n\nFine.\n"));
        s3.putObject(b -> b.bucket(source).key("posts/bad.md"), RequestBody.fromString("---\ntitle: [\n---\n"));

        S3BatchResponse response = handler(s3).handleRequest(event(List.of(
                new String[] {"t1", S3Events.encode("posts/good one.md")},
                new String[] {"t2", "posts/bad.md"},
                new String[] {"t3", "posts/missing.md"})), null);

        assertThat(response.getInvocationId()).isEqualTo("inv-1");
        assertThat(response.getInvocationSchemaVersion()).isEqualTo("1.0");
        assertThat(response.getTreatMissingKeysAs()).isEqualTo(ResultCode.PermanentFailure);
        assertThat(response.getResults()).extracting(S3BatchResponse.Result::getTaskId, S3BatchResponse.Result::getResultCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t1", ResultCode.Succeeded),
                        org.assertj.core.groups.Tuple.tuple("t2", ResultCode.PermanentFailure),
                        org.assertj.core.groups.Tuple.tuple("t3", ResultCode.Succeeded));
        assertThat(response.getResults().get(1).getResultString()).contains("posts/bad.md", "front matter");
        assertThat(response.getResults().get(2).getResultString()).isEqualTo("SOURCE_MISSING");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(site).key("posts/good one/index.html")).asUtf8String())
                .contains("<title>Good</title>");
    }

    @Test
    void anUnreachableS3IsATemporaryFailure() {
        S3BatchResponse response = handler(S3Clients.local(URI.create("http://127.0.0.1:9")))
                .handleRequest(event(List.<String[]>of(new String[] {"t1", "posts/a.md"})), null);

        assertThat(response.getResults()).singleElement()
                .extracting(S3BatchResponse.Result::getResultCode).isEqualTo(ResultCode.TemporaryFailure);
    }
}
