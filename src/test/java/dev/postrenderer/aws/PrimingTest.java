package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** SnapStart priming runs the whole pipeline and every kind of S3 call, and never touches the network. */
class PrimingTest {

    private static final SiteConfig CONFIG = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", "site",
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Primed"));

    /** Counts requests that really went out. */
    private static final class Transmissions implements ExecutionInterceptor {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            count.incrementAndGet();
        }
    }

    @Test
    void beforeCheckpointRunsThePipelineWithoutTouchingTheNetwork() {
        PrimingGuard guard = new PrimingGuard();
        Transmissions sent = new Transmissions();
        // nothing listens on port 9: a request that got out would fail, after retries, with a connection error
        S3Client unreachable = S3Clients.localBuilder(URI.create("http://127.0.0.1:9"))
                .overrideConfiguration(config -> config.addExecutionInterceptor(guard).addExecutionInterceptor(sent))
                .build();
        S3EventHandler handler = new S3EventHandler(unreachable, CONFIG,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "priming-test", guard);

        handler.priming().beforeCheckpoint(null);

        assertThat(guard.stopped()).as("S3 calls run up to the network").isEqualTo(7);
        assertThat(sent.count.get()).as("requests that reached the network").isZero();
    }

    @Test
    void aPrimedHandlerPublishesAsUsual() {
        S3MockServer s3 = S3MockServer.get();
        String source = s3.newBucket("source");
        String site = s3.newBucket("site");
        PrimingGuard guard = new PrimingGuard();
        S3Client client = S3Clients.localBuilder(s3.endpoint())
                .overrideConfiguration(config -> config.addExecutionInterceptor(guard)).build();
        SiteConfig config = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site, "SITE_URL", "https://blog.example.com"));
        S3EventHandler handler = new S3EventHandler(client, config,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "priming-test", guard);
        handler.priming().beforeCheckpoint(null);

        byte[] post = "# After priming\n\nStill works.\n".getBytes(UTF_8);
        client.putObject(b -> b.bucket(source).key("posts/after.md"), RequestBody.fromBytes(post));
        handler.handleRequest(S3Events.event().put(source, "posts/after.md", post.length, ETags.of(post), "01").load(),
                null);

        assertThat(client.getObjectAsBytes(b -> b.bucket(site).key("posts/after/index.html")).asUtf8String())
                .contains("<title>After priming</title>");
    }
}
