package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that decides what a batch of source changes does to the site, whatever brought
 * them: an SQS batch of S3 notifications, a single S3 event, a Batch Operations task, a layout
 * change, or {@code render} and {@code rerender} of a whole folder or bucket.
 *
 * <p>A batch goes through five stages, each of its own class, with immutable values between them:
 * <ol>
 *   <li>{@link BatchPlanner}: the newest change per key, sorted by what it touches; keys that lose
 *       their site key to another are refused;</li>
 *   <li>{@link AssetCopier}: assets copied or deleted;</li>
 *   <li>{@link PostPages}: each post read, rendered and its page written first, conditionally (the
 *       page is the per-key serialisation point: an older change never replaces a newer page), or
 *       planned for unpublishing; the front page's introduction rendered;</li>
 *   <li>{@link StateCommitter}: the site's state committed once for the whole batch, listings
 *       edited, retried on the state a concurrent batch left; unpublished pages deleted after it,
 *       so a listed post always has its page;</li>
 *   <li>{@link DerivedPages}: the pages around the posts that the commit changed.</li>
 * </ol>
 * A key's problem is its own: each key ends done, rejected (the post can never be published as it
 * is) or failed (worth retrying). Thread-safe if its stores are.
 */
public final class Publisher {

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteRenderers renderers;
    private final SiteConfig config;
    private final Clock clock;
    private final StateStore state;
    private final BatchPlanner planner;
    private final AssetCopier assets;
    private final PostPages posts;
    private final StateCommitter committer;
    private final DerivedPages derived;

    public Publisher(ObjectStore source, ObjectStore site, SiteRenderers renderers, SiteConfig config, Clock clock) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        PostParser parser = new PostParser(config.maxPostBytes());
        SourceRivals rivals = new SourceRivals(source);
        this.state = new StateStore(site, clock);
        this.planner = new BatchPlanner(rivals);
        this.assets = new AssetCopier(source, site, rivals, config);
        this.posts = new PostPages(source, site, parser, config);
        this.committer = new StateCommitter(site, state, clock);
        this.derived = new DerivedPages(site, source, parser, config);
    }

    /** A publisher whose renderers read custom layouts from {@code source}. */
    public Publisher(ObjectStore source, ObjectStore site, SiteConfig config) {
        this(source, site, new SiteRenderers(config.render(), source), config, Clock.systemUTC());
    }

    /**
     * Applies a batch of changes. Never throws for one key's problem: each key is done, rejected
     * (the post can never be published as it is) or failed (worth retrying).
     */
    public BatchResult apply(List<SourceChange> changes) {
        return apply(changes, Deadline.NONE);
    }

    /**
     * Applies a batch of changes within a deadline: changes not started in time are reported as
     * failed with an {@link UnfinishedException}, so that they are retried, and the batch never
     * outlives the deadline for want of stopping.
     */
    public BatchResult apply(List<SourceChange> changes, Deadline deadline) {
        return apply(changes, false, deadline);
    }

    /** Applies every object of the source as one batch, and removes what the source no longer has. */
    public BatchResult rebuild() {
        List<SourceChange> all = new ArrayList<>();
        source.list("").forEach(object -> all.add(SourceChange.created(object.key())));
        return apply(all, true, Deadline.NONE);
    }

    private BatchResult apply(List<SourceChange> changes, boolean whole, Deadline deadline) {
        Outcomes outcomes = new Outcomes(deadline);
        BatchPlan planned = planner.plan(changes, whole, outcomes);
        Map<String, ImageAssets.Update> images = assets.apply(planned.assets(), outcomes);
        BatchPlan plan = planned.withRerendered(images.values().stream().flatMap(update -> update.referrers().stream())
                .filter(key -> SourceKey.ifValid(key).filter(k -> k.kind() == SourceKey.Kind.POST).isPresent())
                .toList());
        if (plan.touchesState()) {
            List<String> stateKeys = new ArrayList<>(plan.posts().stream().map(SourceChange::key).toList());
            plan.intro().ifPresent(change -> stateKeys.add(change.key()));
            stateKeys.addAll(plan.layoutKeys());
            try {
                boolean newLayouts = publish(plan, outcomes);
                plan.layoutKeys().forEach(key -> outcomes.done(key, newLayouts ? Action.RENDERED : Action.UNCHANGED,
                        Optional.empty()));
            } catch (InvalidPostException e) {
                // a custom layout that does not compile: nothing can be rendered with it
                stateKeys.forEach(key -> outcomes.rejectedUnlessDone(key, e.problem()));
            } catch (RuntimeException e) {
                stateKeys.forEach(key -> outcomes.failedUnlessDone(key, e));
            }
        }
        settle(images, plan, outcomes);
        // an asset that takes over the page of a post this batch removed: copied once the page is gone
        assets.apply(plan.successorAssets(), outcomes);
        return outcomes.result();
    }

    /**
     * Finishes each image change once the posts that show it are rendered again: its old variants
     * deleted; or, if one of those posts failed, the image's change failed too, so that it is
     * retried and renders them again. Old variants stay while a post that was rejected (its page
     * the one published before) still links them.
     */
    private static void settle(Map<String, ImageAssets.Update> images, BatchPlan plan, Outcomes outcomes) {
        if (images.isEmpty()) {
            return;
        }
        Set<String> rendered = new TreeSet<>(plan.posts().stream().map(SourceChange::key).toList());
        images.forEach((key, update) -> {
            List<String> posts = update.referrers().stream().filter(rendered::contains).toList();
            Optional<String> failed = posts.stream().filter(outcomes::isFailed).findFirst();
            if (failed.isPresent() && outcomes.isDone(key)) {
                outcomes.failed(key, new UnfinishedException(key, "rendering " + failed.get()
                        + ", which shows the image, again"));
            } else if (posts.stream().allMatch(outcomes::isDone)) {
                outcomes.guard(key, () -> update.cleanup().ifPresent(Runnable::run));
            }
        });
    }

    /**
     * The post, commit and derived-pages stages.
     *
     * @return true if the layouts changed, and pages were rendered with the new ones
     */
    private boolean publish(BatchPlan plan, Outcomes outcomes) {
        StateStore.Snapshot snapshot = state.read();
        SiteState before = snapshot.state();
        SiteRenderers.Renderers current = plan.layoutsChanged() ? renderers.current()
                : renderers.forLayouts(before.layouts());
        List<SourceChange> changes = new ArrayList<>(plan.posts());
        Optional<SourceChange> introChange = plan.intro();
        boolean newLayouts = !current.layouts().equals(before.layouts());
        if (plan.layoutsChanged() && !plan.whole() && newLayouts
                && before.listing(SiteState.FRONT).map(ListingMeta::posts).orElse(0) <= DerivedPagePlanner.REBUILD_LIMIT) {
            introChange = everyPost(changes, introChange); // a small site: every post again, with the new layouts
        }
        Map<String, PostEntry> head = StateCommitter.known(state.begin(snapshot), plan.whole());
        PostPages.Context context = new PostPages.Context(before, head, current, plan);
        List<PostOutcome> outcomesOfPosts = new ArrayList<>(posts.apply(changes, context, outcomes));
        Optional<NextState.IntroChange> intro = introChange.flatMap(change -> intro(change, current, outcomes));
        if (plan.whole()) {
            // what the state lists but the source no longer has goes away
            outcomesOfPosts.addAll(posts.apply(gone(head, changes, plan), context, outcomes));
            if (introChange.isEmpty() && before.frontPage().isPresent()) {
                intro = Optional.of(new NextState.IntroChange(Optional.empty()));
            }
        }
        NextState next = new NextState(intro, current.layouts(), config.feedEntries(), clock.millis());
        Commit commit = committer.commit(outcomesOfPosts, next, plan.whole(), snapshot, outcomes.deadline());
        Parallel.map(commit.applied(), change -> {
            if (change.outcome() instanceof PostOutcome.Unlisted unlisted && unlisted.deleteEtag().isPresent()) {
                site.delete(unlisted.key().siteKey().orElseThrow(), unlisted.deleteEtag().get());
            }
            return null;
        });
        derived.write(commit, current, plan.whole(), outcomes);
        commit.outcomes().forEach(post -> outcomes.done(post.change().key(), post.action(), post.key().siteKey()));
        return newLayouts;
    }

    /** Adds every post of the source not in the batch already; the introduction, unless the batch has one. */
    private Optional<SourceChange> everyPost(List<SourceChange> changes, Optional<SourceChange> intro) {
        Set<String> known = new TreeSet<>(changes.stream().map(SourceChange::key).toList());
        Optional<SourceChange> introChange = intro;
        for (ObjectInfo object : source.list("")) {
            Optional<SourceKey> key = SourceKey.ifValid(object.key());
            if (key.filter(k -> k.kind() == SourceKey.Kind.POST).isPresent() && known.add(object.key())) {
                changes.add(SourceChange.created(object.key()));
            } else if (key.filter(k -> k.kind() == SourceKey.Kind.FRONT_PAGE).isPresent() && introChange.isEmpty()) {
                introChange = Optional.of(SourceChange.created(object.key()));
            }
        }
        return introChange;
    }

    /** The posts a rebuild's state lists that its source no longer has, as removals. */
    private static List<SourceChange> gone(Map<String, PostEntry> head, List<SourceChange> changes, BatchPlan plan) {
        Set<String> present = new TreeSet<>(changes.stream().map(SourceChange::key).toList());
        plan.displacedBy().values().forEach(present::addAll);
        return head.keySet().stream().filter(key -> !present.contains(key)).sorted().map(SourceChange::removed).toList();
    }

    /** The introduction's change; none if it cannot be published as it is, which is its own problem. */
    private Optional<NextState.IntroChange> intro(SourceChange change, SiteRenderers.Renderers current,
                                                  Outcomes outcomes) {
        try {
            NextState.IntroChange intro = new NextState.IntroChange(posts.intro(change, current));
            outcomes.done(change.key(), Action.RENDERED, Optional.of("index.html"));
            return Optional.of(intro);
        } catch (InvalidPostException e) {
            outcomes.rejected(change.key(), e.problem());
            return Optional.empty();
        }
    }
}
