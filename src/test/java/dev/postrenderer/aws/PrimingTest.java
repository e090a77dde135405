package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SnapStart priming runs the whole pipeline and every kind of S3 call without a request leaving
 * the process, and can never stop the function from starting.
 */
class PrimingTest {

    private static final SiteConfig CONFIG = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", "site",
            "SITE_URL", "https://blog.example.com", "SITE_NAME", "Primed"));

    /** A real listener that counts every request that reaches it. */
    private HttpServer listener;
    private final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void listen() throws IOException {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        listener.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
    }

    private S3Client clientOf(PrimingGuard guard) {
        return S3Clients.localBuilder(URI.create("http://127.0.0.1:" + listener.getAddress().getPort()))
                .overrideConfiguration(config -> config.addExecutionInterceptor(guard)).build();
    }

    @Test
    void beforeCheckpointRunsEveryKindOfS3CallWithoutARequestReachingTheServer() {
        PrimingGuard guard = new PrimingGuard();
        S3Client client = clientOf(guard);
        PublishHandler handler = new PublishHandler(client, CONFIG, new PrintStream(new ByteArrayOutputStream(),
                true, UTF_8), "priming-test", guard);

        handler.priming().beforeCheckpoint(null);

        assertThat(guard.stopped()).as("S3 calls run up to the network").isEqualTo(8);
        assertThat(received).as("requests that reached the server").hasValue(0);
    }

    @Test
    void theServerCountsARequestThatIsNotStopped() {
        // the control for the test above: the same client, unguarded, does reach the server
        S3Client client = clientOf(new PrimingGuard());
        try {
            client.headObject(b -> b.bucket("site").key("x"));
        } catch (RuntimeException expected) {
            // the listener answers 500
        }
        assertThat(received.get()).isPositive();
    }

    @Test
    void primingWorksWhateverMaxPostBytesIs() {
        PrimingGuard guard = new PrimingGuard();
        SiteConfig tiny = SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", "site", "MAX_POST_BYTES", "10"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PublishHandler handler = new PublishHandler(clientOf(guard), tiny, new PrintStream(logs, true, UTF_8), "p",
                guard);

        assertThat(handler.priming().prime()).isTrue();
        assertThat(logs.toString(UTF_8)).doesNotContain("WARN");
    }

    @Test
    void aPrimingFailureIsLoggedAndTheFunctionStillStarts() {
        PrimingGuard guard = new PrimingGuard();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        // a guard the client does not know: priming's S3 calls are not stopped and fail for real
        PublishHandler handler = new PublishHandler(clientOf(new PrimingGuard()), CONFIG,
                new PrintStream(logs, true, UTF_8), "p", guard);

        assertThat(handler.priming().prime()).isFalse();

        assertThat(logs.toString(UTF_8)).contains("\"level\":\"WARN\"", "priming failed; the function starts unprimed");
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
        PublishHandler handler = new PublishHandler(client, config,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "priming-test", guard);
        handler.priming().beforeCheckpoint(null);

        byte[] post = "# After priming\n\nStill works.\n".getBytes(UTF_8);
        client.putObject(b -> b.bucket(source).key("posts/after.md"), RequestBody.fromBytes(post));
        Invocations.invoke(handler, S3Events.event().put(source, "posts/after.md", post.length, ETags.of(post), "01")
                .sqs());

        assertThat(client.getObjectAsBytes(b -> b.bucket(site).key("posts/after/index.html")).asUtf8String())
                .contains("<title>After priming</title>");
    }
}
