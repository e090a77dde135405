package dev.postrenderer.publish;

import dev.postrenderer.post.PostParser;
import dev.postrenderer.site.SitePage;
import dev.postrenderer.site.SiteState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stage after the commit: the pages around the posts that the commit changed, and no others.
 * First every page is decided and rendered, before and after ({@link DerivedPagePlanner}); then all
 * are written through one writer ({@link SitePagesWriter}), each only if its bytes change and never
 * over a newer state's; then the feed ({@link FeedPage}); then, for changes that found their work
 * done, the pages a failed attempt may have left behind ({@link Repairs}). Thread-safe if its stores are.
 */
final class DerivedPages {

    private final ObjectStore site;
    private final ObjectStore source;
    private final PostParser parser;
    private final SiteConfig config;

    DerivedPages(ObjectStore site, ObjectStore source, PostParser parser, SiteConfig config) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.source = Objects.requireNonNull(source, "source == null");
        this.parser = Objects.requireNonNull(parser, "parser == null");
        this.config = Objects.requireNonNull(config, "config == null");
    }

    /**
     * Writes the pages a commit changed.
     *
     * @param whole a rebuild of the whole site, which owns every page it writes
     */
    void write(Commit commit, SiteRenderers.Renderers renderers, boolean whole, Outcomes outcomes) {
        SiteState before = commit.before();
        SiteState after = commit.after().state();
        SitePagesWriter writer = new SitePagesWriter(site, config.cacheControl(), after.version(),
                commit.after().md5Etags());
        List<PageWrite> writes = new DerivedPagePlanner(renderers, commit.parts()).plan(commit, whole);
        Parallel.map(writes, write -> {
            writer.apply(write, whole);
            return null;
        });
        FeedPage feed = new FeedPage(site, source, parser, renderers, config);
        boolean everything = before.version() == 0 || whole || !before.layouts().equals(after.layouts());
        if (everything || !before.feed().equals(after.feed())) {
            feed.publish(after, listed(commit), writer, outcomes);
        }
        java.util.Set<String> retried = Repairs.listings(commit);
        if (!retried.isEmpty()) {
            List<SitePage> expected = new Repairs(renderers, commit.parts()).expected(after, retried);
            Parallel.map(expected, writer::repair);
            if (retried.contains(SiteState.FRONT)) {
                feed.publish(after, Map.of(), writer, outcomes);
            }
        }
    }

    /** The posts the commit listed anew, by path, with their bodies: the feed shows them without rendering them again. */
    private static Map<String, PostOutcome.Listed> listed(Commit commit) {
        Map<String, PostOutcome.Listed> listed = new LinkedHashMap<>();
        for (ResolvedChange change : commit.applied()) {
            if (change.outcome() instanceof PostOutcome.Listed post) {
                listed.put(post.entry().path(), post);
            }
        }
        return listed;
    }
}
