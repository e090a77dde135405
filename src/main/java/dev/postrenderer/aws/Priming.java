package dev.postrenderer.aws;

import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.SiteConfig;
import dev.postrenderer.publish.SiteRenderers;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.FeedItem;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.StateJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;

/**
 * Warms the function before SnapStart takes its snapshot ({@link #beforeCheckpoint}): reads a
 * bundled SQS event, renders a bundled sample post through the whole pipeline (front matter,
 * markdown, head, layout, listing, state JSON, front page, feed, sitemap, log line) and runs each
 * kind of S3 call the function makes, stopped by the {@link PrimingGuard} just before it would
 * reach the network, so that restored functions start with their classes loaded and their hot
 * code compiled. Priming can never stop the function from starting: whatever goes wrong is
 * logged as a warning, and the function starts unprimed.
 */
public final class Priming implements Resource {

    private static final String SAMPLE = "/priming/sample.md";
    private static final String EVENT = "/priming/sqs-event.json";

    private final SiteConfig config;
    private final SiteRenderers renderers;
    private final ObjectStore store;
    private final PrimingGuard guard;
    private final RecordLog log;

    Priming(SiteConfig config, SiteRenderers renderers, ObjectStore store, PrimingGuard guard, RecordLog log) {
        this.config = Objects.requireNonNull(config, "config == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.guard = Objects.requireNonNull(guard, "guard == null");
        this.log = Objects.requireNonNull(log, "log == null");
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to reopen: the S3 client opens its connections when it first needs them
    }

    /** Runs the pipeline once on the sample; false, with a warning logged, if anything failed. */
    boolean prime() {
        long started = System.nanoTime();
        try {
            primePipeline();
            int stopped = primeS3();
            log.info("primed: the sample post through the pipeline, and " + stopped
                    + " S3 requests stopped before the network", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException | LinkageError e) {
            log.warning("priming failed; the function starts unprimed: " + e);
            return false;
        }
    }

    private void primePipeline() {
        Notifications.read(resource(EVENT));
        byte[] sample = resource(SAMPLE);
        SourceKey key = SourceKey.of("posts/priming.md");
        // the sample is ours: MAX_POST_BYTES, meant for authors' posts, does not apply to it
        Post post = new PostParser(Math.max(config.maxPostBytes(), sample.length)).parse(key, sample);
        SiteRenderers.Renderers bundled = renderers.bundled();
        RenderedPage page = bundled.pages().render(post);
        String pageEtag = ETags.of(page.html().getBytes(StandardCharsets.UTF_8));
        PostEntry entry = PostEntry.builder(key.key(), key.pagePath()).title(page.title())
                .description(page.description()).date(page.date()).updated(page.updated()).tags(page.tags())
                .sourceEtag(Optional.of(ETags.of(sample))).sequencer(Optional.of("01"))
                .renderer(bundled.pages().version()).pageEtag(pageEtag).build();
        MemoryParts parts = new MemoryParts();
        ListingEdit edit = ListingEditor.apply(SiteState.FRONT, "", Optional.empty(), List.of(), List.of(entry), parts);
        SiteState state = SiteState.EMPTY.toBuilder().listing(SiteState.FRONT, edit.meta()).build();
        StateJson.readState(StateJson.writeState(state));
        bundled.site().front(Optional.empty(), edit.frontAfter());
        bundled.feed().page(List.of(FeedItem.of(entry, page.content(), page.author())))
                .ifPresent(feed -> bundled.feed().read(feed.content()));
        bundled.sitemaps().sitemap(edit.frontAfter().posts(), List.of());
        new RecordLog(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8), Clock.systemUTC(),
                "priming")
                .handled(key.key(), "ObjectCreated:Put", "RENDERED", key.siteKey().orElseThrow(), 0);
    }

    /** @return how many requests the guard stopped */
    private int primeS3() {
        int before = guard.stopped();
        guard.arm();
        try {
            PutOptions options = new PutOptions("text/html; charset=utf-8", Optional.of(config.cacheControl()),
                    Map.of("source-etag", "0"));
            attempt(() -> store.get("posts/priming.md", config.maxPostBytes()));
            attempt(() -> store.getRange("_site/packs/priming.json", 0, 10));
            attempt(() -> store.head("posts/priming/index.html"));
            attempt(() -> store.put("posts/priming/index.html", new byte[1], options, Precondition.ABSENT));
            attempt(() -> store.put("posts/priming/index.html", new byte[1], options, Precondition.matching("0")));
            attempt(() -> store.copyTo("img/priming.png", store, options));
            attempt(() -> store.list("_layouts/"));
            attempt(() -> store.delete("posts/priming/index.html", "0"));
        } finally {
            guard.disarm();
        }
        return guard.stopped() - before;
    }

    /** Runs one S3 call, which the guard stops before the network; any other failure is real. */
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
        }
        return false;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Priming.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the priming resource " + name + " is not bundled");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parts of the state in memory, for a listing edit that touches no store. */
    private static final class MemoryParts implements ListingEditor.Parts {
        private final Map<String, Object> parts = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public List<PostEntry> entries(String ref) {
            return (List<PostEntry>) parts.get(ref);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<ArchivePage> directory(String ref) {
            return (List<ArchivePage>) parts.get(ref);
        }

        @Override
        public String storeEntries(List<PostEntry> entries) {
            String ref = "i" + parts.size();
            parts.put(ref, entries);
            return ref;
        }

        @Override
        public String storeDirectory(List<ArchivePage> pages) {
            String ref = "i" + parts.size();
            parts.put(ref, pages);
            return ref;
        }
    }
}
