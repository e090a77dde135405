package dev.postrenderer.aws;

import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.SiteRenderers;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.site.FeedContent;
import dev.postrenderer.site.ManifestEntry;
import dev.postrenderer.site.ManifestJson;
import dev.postrenderer.site.SiteManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Warms the function before it is first needed: renders a bundled sample post through the whole
 * pipeline (front matter, markdown, head, layout, manifest, derived pages, log line) and runs
 * each kind of S3 call the function makes, stopped by the {@link PrimingGuard} just before it
 * would reach the network. It runs in the init phase, where Lambda gives a function a full vCPU,
 * and, with SnapStart, before the snapshot ({@link #beforeCheckpoint}), so that restored
 * functions start with their classes loaded and their hot code compiled.
 */
public final class Priming implements Resource {

    private static final String SAMPLE = "/priming/sample.md";

    private final SiteConfig config;
    private final SiteRenderers renderers;
    private final S3ObjectStore store;
    private final PrimingGuard guard;

    Priming(SiteConfig config, SiteRenderers renderers, S3ObjectStore store, PrimingGuard guard) {
        this.config = Objects.requireNonNull(config, "config == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.guard = Objects.requireNonNull(guard, "guard == null");
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to reopen: the S3 client opens its connections when it first needs them
    }

    /** Runs the pipeline once on the sample post, and each S3 call up to the network. */
    void prime() {
        byte[] sample = sample();
        SourceKey key = SourceKey.of("posts/priming.md");
        Post post = new PostParser(config.maxPostBytes()).parse(key, sample);
        RenderedPage page = renderers.bundled().pages().render(post);
        String pageEtag = ETags.of(page.html().getBytes(StandardCharsets.UTF_8));
        ManifestEntry entry = new ManifestEntry(key.key(), key.pagePath(), page.title(), page.description(), page.date(),
                page.updated(), page.tags(), Optional.empty(), Optional.empty(),
                config.render().siteUrl().map(url -> FeedContent.absolutize(page.content(), url + "/" + key.pagePath())),
                Optional.of(ETags.of(sample)), Optional.of("01"), "priming", Optional.of(pageEtag), false);
        SiteManifest manifest = ManifestJson.read(ManifestJson.write(SiteManifest.EMPTY.with(entry)));
        renderers.bundled().site().pages(manifest);
        new RecordLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC(), "priming")
                .handled(key.key(), "ObjectCreated:Put", "RENDERED", key.siteKey().orElseThrow(), 0);
        primeS3(page);
    }

    private void primeS3(RenderedPage page) {
        guard.arm();
        try {
            PutOptions options = new PutOptions("text/html; charset=utf-8", Optional.of(config.cacheControl()),
                    Map.of("source-etag", "0"));
            attempt(() -> store.get("posts/priming.md", config.maxPostBytes()));
            attempt(() -> store.head("posts/priming/index.html"));
            attempt(() -> store.put("posts/priming/index.html", page.html().getBytes(
                    StandardCharsets.UTF_8), options, Precondition.ABSENT));
            attempt(() -> store.put("posts/priming/index.html", new byte[1], options, Precondition.matching("0")));
            attempt(() -> store.copyTo("img/priming.png", store, options));
            attempt(() -> store.list("_layouts/"));
            attempt(() -> {
                store.delete("posts/priming/index.html");
                return null;
            });
        } finally {
            guard.disarm();
        }
    }

    private static void attempt(Supplier<?> call) {
        try {
            call.get();
        } catch (RuntimeException e) {
            if (!stoppedByGuard(e)) {
                throw e;
            }
        }
    }

    private static boolean stoppedByGuard(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PrimingGuard.Stopped) {
                return true;
            }
            if (cause instanceof SdkException && cause.getMessage() != null
                    && cause.getMessage().contains("priming")) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sample() {
        try (InputStream in = Priming.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("the priming sample " + SAMPLE + " is not bundled");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
