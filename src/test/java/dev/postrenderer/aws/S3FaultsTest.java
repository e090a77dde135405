package dev.postrenderer.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.StateStore;
import dev.postrenderer.testing.FaultyS3Proxy;
import dev.postrenderer.testing.FaultyS3Proxy.Fault;
import dev.postrenderer.testing.Invocations;
import dev.postrenderer.testing.OutputOracle;
import dev.postrenderer.testing.PublishedState;
import dev.postrenderer.testing.S3Events;
import dev.postrenderer.testing.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 misbehaving between the function and S3Mock: a fault the SDK's retries absorb changes
 * nothing; one that outlasts them fails the event transiently, leaves no half-written page,
 * deletes nothing that should stay, and replaying the event once the faults clear gives exactly
 * the site a fault-free run gives.
 */
@org.junit.jupiter.api.Order(1) // among the longest: started first
@Timeout(120)
// each case has a proxy and buckets of its own, and mostly waits out timeouts: cases run side by side
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
class S3FaultsTest {

    private static final S3MockServer S3 = S3MockServer.get();
    private static final S3Client direct = S3.client();
    private static final String KEEP = "---\ntitle: Keep me\ntags: [common]\ndate: 2024-01-01\n---\nStays.\n";
    private static final String NEW = "---\ntitle: New post\ntags: [common, fresh]\ndate: 2024-02-02\n---\nArrives.\n";

    /** What the site is when nothing fails: made once, every case ends equal to it. */
    private static Map<String, String> reference;

    @BeforeAll
    static void publishTheReference() {
        reference = referenceSite().contents();
    }

    /** Which request breaks: method and a part of the path. */
    static Stream<Arguments> targets() {
        List<Arguments> targets = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            targets.add(Arguments.of(fault, "GET", "/posts/new.md"));
            targets.add(Arguments.of(fault, "GET", "/_site/state.json"));
            targets.add(Arguments.of(fault, "PUT", "/_site/state.json"));
            targets.add(Arguments.of(fault, "GET", "/feed.xml"));
            targets.add(Arguments.of(fault, "PUT", "/posts/new/index.html"));
            targets.add(Arguments.of(fault, "PUT", "/index.html"));
            targets.add(Arguments.of(fault, "PUT", "/tags/fresh/index.html"));
        }
        return targets.stream();
    }

    @ParameterizedTest(name = "{0} once on {1} {2}")
    @EnumSource(Fault.class)
    void aFaultTheSdkRetriesAwayChangesNothing(Fault fault) {
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            Site site = new Site(S3.newClient(proxy.endpoint()));
            site.publish("posts/keep.md", KEEP);
            proxy.fail("PUT", "/posts/new/index.html", fault, 1);
            try {
                site.publish("posts/new.md", NEW);
            } finally {
                proxy.clear();
            }
            assertThat(site.contents()).isEqualTo(reference);
        }
    }

    @ParameterizedTest(name = "{0} on every {1} {2}")
    @MethodSource("targets")
    void aFaultThatOutlastsTheRetriesFailsTransientlyAndAReplayHeals(Fault fault, String method, String path) {
        try (FaultyS3Proxy proxy = new FaultyS3Proxy(S3.endpoint())) {
            Site site = new Site(S3.newClient(proxy.endpoint()));
            site.publish("posts/keep.md", KEEP);
            Map<String, String> before = site.contents();

            proxy.fail(method, path, fault, 1_000);
            try {
                assertThatThrownBy(() -> site.publish("posts/new.md", NEW))
                        .isInstanceOf(TransientFailureException.class);
            } finally {
                proxy.clear();
            }

            Map<String, String> broken = site.contents();
            assertThat(broken.get("posts/keep/index.html")).isEqualTo(before.get("posts/keep/index.html"));
            broken.forEach((key, content) -> {
                if (key.endsWith(".html")) {
                    assertThat(content).as(key + " is whole").startsWith("<!DOCTYPE html>").endsWith("</html>\n");
                }
            });
            PublishedState.posts(new S3ObjectStore(direct, site.site));

            site.replay("posts/new.md");
            assertThat(site.contents()).isEqualTo(reference);
        }
    }

    private static Site referenceSite() {
        Site reference = new Site(direct);
        reference.publish("posts/keep.md", KEEP);
        reference.publish("posts/new.md", NEW);
        return reference;
    }

    /** A source and a site bucket, and the function publishing into them through some client. */
    private static final class Site {
        final String source = S3.newBucket("source");
        final String site = S3.newBucket("site");
        final PublishHandler handler;
        final Map<String, String> events = new TreeMap<>();
        long sequencer = 0x100;

        Site(S3Client client) {
            handler = new PublishHandler(client, SiteConfig.fromEnvironment(Map.of("SITE_BUCKET", site,
                    "SITE_URL", "https://blog.example.com", "SITE_NAME", "Faults")),
                    new PrintStream(new ByteArrayOutputStream(), true, UTF_8), "faults");
        }

        void publish(String key, String text) {
            byte[] content = text.getBytes(UTF_8);
            direct.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(content));
            String event = S3Events.event().put(source, key, content.length, ETags.of(content),
                    Long.toHexString(++sequencer)).json();
            events.put(key, event);
            Invocations.invoke(handler, event);
        }

        /** Delivers the same event again, as Lambda's retry does. */
        void replay(String key) {
            Invocations.invoke(handler, events.get(key));
        }

        /** Every object but the state, as text; the state's posts without versions and sequencers. */
        Map<String, String> contents() {
            Map<String, String> contents = new TreeMap<>();
            contents.put("_site/ posts", PublishedState.posts(new S3ObjectStore(direct, site)).stream()
                    .map(entry -> entry.key() + " " + entry.title() + " " + entry.tags() + " " + entry.pageEtag())
                    .toList().toString());
            for (S3Object object : direct.listObjectsV2Paginator(b -> b.bucket(site)).contents()) {
                if (object.key().startsWith("_site/")) {
                    continue;
                }
                String text = direct.getObjectAsBytes(b -> b.bucket(site).key(object.key())).asUtf8String();
                if (object.key().endsWith(".html")) {
                    OutputOracle.check(text);
                }
                contents.put(object.key(), text);
            }
            return contents;
        }
    }

}
