package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.render.ActiveContent;
import dev.postrenderer.render.RawHtmlPolicy;
import dev.postrenderer.render.RenderedIntro;
import dev.postrenderer.render.RenderedPage;
import dev.postrenderer.render.TagSlug;
import dev.postrenderer.site.FeedRef;
import dev.postrenderer.site.Fence;
import dev.postrenderer.site.FrontPage;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.Position;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SitePages;
import dev.postrenderer.site.SiteState;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one place that decides what a batch of source changes does to the site, whatever brought
 * them: an SQS batch of S3 notifications, a single S3 event, a Batch Operations task, a layout
 * change, or {@code render} and {@code rerender} of a whole folder or bucket.
 *
 * <p>DESIGN. Changes are collapsed to the newest per key. Each post's page is written first,
 * conditionally: {@code If-Match} the ETag the state records for it, {@code If-None-Match: *} for
 * a post the front page does not know (so a new post needs no lookup: if a page is there, the
 * write fails and the page's metadata says whose it is and which version). The page is the
 * per-key serialisation point: its metadata carries the S3 sequencer, and an older change never
 * replaces a newer page. Then the state is committed once for the whole batch (see
 * {@link StateStore}): every listing the batch touches is edited (see {@link ListingEditor}) and
 * the root written with one conditional write, retried on the state a concurrent batch left.
 * Unpublishing goes the other way round: the state first, then the page, deleted {@code If-Match}
 * the ETag it had. So a listed post always has its page, and a page never lists an older version.
 * A replaced or unpublished page leaves a {@link Fence} in the state for a while, so that a slower
 * invocation that wrote an older page before this batch committed does not list it afterwards.
 * Finally the pages around the posts that the batch changed are written, each from just its own
 * posts (see {@link DerivedPages}). Thread-safe if its stores are.
 */
public final class Publisher {

    /** User metadata names on pages and assets. */
    public static final String META_SOURCE_KEY = "source-key";
    public static final String META_SOURCE_ETAG = "source-etag";
    public static final String META_SEQUENCER = "sequencer";
    public static final String META_RENDERER = "renderer";
    /** User metadata: the date the page's post is listed under, so that its entry can be found. */
    public static final String META_DATE = "date";

    /** The largest site a layout change re-renders within one batch. */
    static final int REBUILD_LIMIT = 300;
    private static final int MAX_ROUNDS = 30;
    /** How long a batch that lost a commit waits for its turn. */
    private static final long LEASE_WAIT_MILLIS = 60_000;
    private static final int MAX_PAGE_ATTEMPTS = 8;

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteRenderers renderers;
    private final SiteConfig config;
    private final PostParser parser;
    private final StateStore state;
    private final Clock clock;

    public Publisher(ObjectStore source, ObjectStore site, SiteRenderers renderers, SiteConfig config, Clock clock) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.parser = new PostParser(config.maxPostBytes());
        this.state = new StateStore(site, clock);
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
        Run run = new Run(deadline);
        List<SourceChange> posts = new ArrayList<>();
        List<SourceChange> intros = new ArrayList<>();
        List<String> layoutKeys = new ArrayList<>();
        boolean layouts = whole;
        for (SourceChange change : SourceChange.newestPerKey(changes)) {
            if (change.removed()) {
                run.removed.add(change.key());
            }
            try {
                SourceKey key = SourceKey.of(change.key());
                switch (key.kind()) {
                    case IGNORED -> {
                        if (key.key().startsWith(SiteRenderers.PREFIX)) {
                            layouts = true;
                            layoutKeys.add(change.key());
                        } else {
                            run.done(change.key(), Action.IGNORED, Optional.empty());
                        }
                    }
                    case ASSET -> run.assets.add(change);
                    case FRONT_PAGE -> intros.add(change);
                    case POST -> posts.add(change);
                }
            } catch (InvalidPostException e) {
                run.rejected(change.key(), e.problem());
            }
        }
        posts = rivalsInBatch(posts, run);
        intros = rivalsInBatch(intros, run);
        successors(posts, intros, run);
        Optional<SourceChange> intro = introChange(intros, run);
        Parallel.map(run.assets, change -> {
            run.guard(change.key(), () -> {
                run.checkTime(change.key());
                asset(change, run);
            });
            return null;
        });
        if (!posts.isEmpty() || intro.isPresent() || layouts) {
            List<String> stateKeys = new ArrayList<>(posts.stream().map(SourceChange::key).toList());
            intro.ifPresent(change -> stateKeys.add(change.key()));
            stateKeys.addAll(layoutKeys);
            try {
                boolean rendered = publish(run, posts, intro, layouts, whole);
                layoutKeys.forEach(key -> run.done(key, rendered ? Action.RENDERED : Action.UNCHANGED,
                        Optional.empty()));
            } catch (InvalidPostException e) {
                // a custom layout that does not compile: nothing can be rendered with it
                stateKeys.forEach(key -> run.rejectedUnlessDone(key, e.problem()));
            } catch (RuntimeException e) {
                stateKeys.forEach(key -> run.failedUnlessDone(key, e));
            }
        }
        // an asset whose rival post went in this batch: copied once the post's page is gone
        Parallel.map(run.successorAssets, change -> {
            run.guard(change.key(), () -> {
                run.checkTime(change.key());
                asset(change, run);
            });
            return null;
        });
        return run.result();
    }

    // --- keys that map to one site key

    /**
     * Of the keys a batch creates that map to one site key, keeps the one that takes precedence;
     * the others are refused, naming it.
     */
    private static List<SourceChange> rivalsInBatch(List<SourceChange> changes, Run run) {
        Map<String, List<SourceKey>> bySiteKey = new HashMap<>();
        for (SourceChange change : changes) {
            if (!change.removed()) {
                SourceKey key = SourceKey.of(change.key());
                bySiteKey.computeIfAbsent(key.siteKey().orElseThrow(), site -> new ArrayList<>()).add(key);
            }
        }
        Set<String> losers = new HashSet<>();
        for (List<SourceKey> rivals : bySiteKey.values()) {
            if (rivals.size() > 1) {
                rivals.sort(SourceKey::precedence);
                SourceKey winner = rivals.get(0);
                for (SourceKey loser : rivals.subList(1, rivals.size())) {
                    run.rejected(loser.key(), lost(loser, winner));
                    run.displacedBy.computeIfAbsent(winner.key(), key -> new TreeSet<>()).add(loser.key());
                    losers.add(loser.key());
                }
            }
        }
        return new ArrayList<>(changes.stream().filter(change -> !losers.contains(change.key())).toList());
    }

    /**
     * For each post the batch removes, the rival that takes over its page, if the source has one:
     * published in this batch, as if it had just been uploaded.
     */
    private void successors(List<SourceChange> posts, List<SourceChange> intros, Run run) {
        List<SourceChange> removed = new ArrayList<>(posts.stream().filter(SourceChange::removed).toList());
        removed.addAll(intros.stream().filter(SourceChange::removed).toList());
        if (removed.isEmpty()) {
            return;
        }
        Set<String> created = new HashSet<>();
        posts.stream().filter(change -> !change.removed())
                .forEach(change -> created.add(SourceKey.of(change.key()).siteKey().orElseThrow()));
        intros.stream().filter(change -> !change.removed()).forEach(change -> created.add("index.html"));
        List<SourceChange> addedPosts = new ArrayList<>();
        for (SourceChange change : removed) {
            SourceKey key = SourceKey.of(change.key());
            String siteKey = key.siteKey().orElseThrow();
            if (created.contains(siteKey)) {
                continue;
            }
            rivalsInSource(key).stream().filter(rival -> !run.removed.contains(rival.key())).findFirst()
                    .ifPresent(successor -> {
                        created.add(siteKey);
                        SourceChange next = SourceChange.created(successor.key());
                        switch (successor.kind()) {
                            case POST -> addedPosts.add(next);
                            case FRONT_PAGE -> intros.add(next);
                            default -> run.successorAssets.add(next);
                        }
                    });
        }
        posts.addAll(addedPosts);
    }

    /** The other keys in the source that map to this key's page, the one that takes precedence first. */
    private List<SourceKey> rivalsInSource(SourceKey key) {
        List<ObjectInfo> candidates = new ArrayList<>();
        if (key.kind() == SourceKey.Kind.FRONT_PAGE) {
            candidates.addAll(source.listFolder(""));
        } else {
            List<String> prefixes = key.rivalPrefixes();
            for (int i = 0; i < prefixes.size(); i++) {
                candidates.addAll(i == 0 ? source.list(prefixes.get(i)) : source.listFolder(prefixes.get(i)));
            }
        }
        List<SourceKey> rivals = new ArrayList<>();
        for (ObjectInfo candidate : candidates) {
            SourceKey.ifValid(candidate.key()).filter(key::rivals).ifPresent(rivals::add);
        }
        rivals.sort(SourceKey::precedence);
        return rivals;
    }

    private static String lost(SourceKey loser, SourceKey winner) {
        return lost(loser.siteKey().orElseThrow(), winner.key(), loser.key());
    }

    private static String lost(String siteKey, String winner, String loser) {
        return siteKey + " is published from " + winner + ", which takes precedence over " + loser
                + "; rename or remove one of them";
    }

    /**
     * The introduction change of a batch: of several, the one that takes precedence; one that a
     * rival in the source outranks is refused (the front page keeps no record of which key made it).
     */
    private Optional<SourceChange> introChange(List<SourceChange> intros, Run run) {
        Optional<SourceChange> created = intros.stream().filter(change -> !change.removed()).findFirst();
        if (created.isPresent()) {
            SourceKey key = SourceKey.of(created.get().key());
            Optional<SourceKey> better = rivalsInSource(key).stream()
                    .filter(rival -> rival.precedence(key) < 0 && !run.removed.contains(rival.key())).findFirst();
            if (better.isPresent()) {
                run.rejected(key.key(), lost(key, better.get()));
                intros.stream().filter(SourceChange::removed)
                        .forEach(change -> run.done(change.key(), Action.DELETED, Optional.of("index.html")));
                return Optional.empty();
            }
            intros.stream().filter(SourceChange::removed)
                    .forEach(change -> run.done(change.key(), Action.DELETED, Optional.of("index.html")));
            return created;
        }
        intros.stream().skip(1).forEach(change -> run.done(change.key(), Action.DELETED, Optional.of("index.html")));
        return intros.stream().findFirst();
    }

    /** @return true if the layouts changed, and pages were rendered with the new ones */
    private boolean publish(Run run, List<SourceChange> posts, Optional<SourceChange> introChange,
                            boolean layoutsChanged, boolean whole) {
        StateStore.Snapshot snapshot = state.read();
        SiteRenderers.Renderers current = layoutsChanged ? renderers.current()
                : renderers.forLayouts(snapshot.state().layouts());
        if (layoutsChanged && !whole && !current.layouts().equals(snapshot.state().layouts())
                && snapshot.state().listing(SiteState.FRONT).map(ListingMeta::posts).orElse(0) <= REBUILD_LIMIT) {
            // re-render every post with the new layouts, in this batch
            Set<String> known = new TreeSet<>(posts.stream().map(SourceChange::key).toList());
            for (ObjectInfo object : source.list("")) {
                SourceKey key = SourceKey.of(object.key());
                if (key.kind() == SourceKey.Kind.POST && known.add(object.key())) {
                    posts.add(SourceChange.created(object.key()));
                } else if (key.kind() == SourceKey.Kind.FRONT_PAGE && introChange.isEmpty()) {
                    introChange = Optional.of(SourceChange.created(object.key()));
                }
            }
        }
        Map<String, PostEntry> head = known(snapshot, whole);
        List<Plan> plans = Parallel.map(posts, change -> prepare(change, snapshot, head, current, run));
        Optional<Optional<FrontPage>> intro = introChange.map(change -> intro(change, current, run));
        if (whole) {
            // what the state lists but the source no longer has goes away
            Set<String> present = new TreeSet<>(posts.stream().map(SourceChange::key).toList());
            run.displacedBy.values().forEach(present::addAll);
            List<SourceChange> gone = new ArrayList<>();
            head.keySet().stream().filter(key -> !present.contains(key)).forEach(key -> gone.add(
                    SourceChange.removed(key)));
            plans = new ArrayList<>(plans);
            plans.addAll(Parallel.map(gone, change -> prepare(change, snapshot, head, current, run)));
            if (introChange.isEmpty() && snapshot.state().frontPage().isPresent()) {
                intro = Optional.of(Optional.empty());
            }
        }
        commitAndWrite(run, plans, intro, current, snapshot, whole);
        return !current.layouts().equals(snapshot.state().layouts());
    }

    // --- one post: read, render, write its page

    /** What a batch does for one post key. */
    private static final class Plan {
        final SourceChange change;
        final SourceKey key;
        Action action;
        /** The new entry, for a post to list. */
        Optional<PostEntry> entry = Optional.empty();
        /** The page's body with absolute URLs, for the feed. */
        Optional<String> content = Optional.empty();
        /** The entry to take out of the listings, if known; else where to look for it. */
        Optional<PostEntry> listed = Optional.empty();
        Optional<Position> listedAt = Optional.empty();
        /** True when the state must change for this key (list, unlist, fence). */
        boolean commit;
        /** True when this batch replaced or is removing a page, which leaves a fence. */
        boolean fence;
        /** The page to delete after the commit, with the ETag it must still have. */
        Optional<String> deleteEtag = Optional.empty();
        /** The ETag of the page this batch wrote. */
        Optional<String> written = Optional.empty();
        /** Other keys whose page this one takes over, with where they are listed if known. */
        final Map<String, Optional<Position>> displaced = new LinkedHashMap<>();
        /** Their entries in the listings, to take out. */
        List<PostEntry> displacedEntries = List.of();

        Plan(SourceChange change, SourceKey key) {
            this.change = change;
            this.key = key;
        }

        String siteKey() {
            return key.siteKey().orElseThrow();
        }
    }

    private Plan prepare(SourceChange change, StateStore.Snapshot snapshot, Map<String, PostEntry> head,
                         SiteRenderers.Renderers current, Run run) {
        Plan plan = new Plan(change, SourceKey.of(change.key()));
        run.displacedBy.getOrDefault(change.key(), Set.of()).forEach(key -> plan.displaced.put(key, Optional.empty()));
        try {
            run.checkTime(change.key());
            if (change.removed()) {
                if (source.head(change.key()).isPresent()) {
                    return done(plan, Action.KEPT); // re-uploaded since: the creation's own event publishes it
                }
                return unpublish(plan, snapshot, head, Action.DELETED);
            }
            Optional<PostEntry> known = Optional.ofNullable(head.get(change.key()));
            if (newerKnown(change, known, snapshot.state())) {
                return done(plan, Action.STALE);
            }
            if (change.size().isPresent() && change.size().getAsLong() > parser.maxBytes()) {
                throw new InvalidPostException(change.key(), "the post is " + change.size().getAsLong()
                        + " bytes, more than the limit of " + parser.maxBytes() + " (MAX_POST_BYTES)");
            }
            Optional<StoredObject> object = source.get(change.key(), parser.maxBytes());
            if (object.isEmpty()) {
                return unpublish(plan, snapshot, head, Action.SOURCE_MISSING);
            }
            Optional<String> etag = object.get().info().etag();
            if (change.etag().isPresent() && etag.isPresent() && !change.etag().equals(etag)) {
                return done(plan, Action.SUPERSEDED); // the newer version's own event publishes it
            }
            String renderer = current.pages().version();
            if (known.filter(entry -> entry.sourceEtag().equals(etag) && entry.renderer().equals(renderer))
                    .isPresent()) {
                plan.listed = known;
                plan.entry = known;
                return done(plan, Action.UNCHANGED);
            }
            Post post = parser.parse(plan.key, object.get().content());
            if (post.frontMatter().draft()) {
                return unpublish(plan, snapshot, head, Action.DRAFT);
            }
            RenderedPage page = current.pages().render(post);
            byte[] html = page.html().getBytes(StandardCharsets.UTF_8);
            // the page's entity tag is the one the store gives it when it is written
            PostEntry entry = PostEntries.of(plan.key, page, etag,
                    change.sequencer().or(() -> known.flatMap(PostEntry::sequencer)), renderer, "");
            plan.entry = Optional.of(entry);
            plan.content = PostEntries.feedContent(page, plan.key, config.render());
            plan.listed = known;
            return writePage(plan, html, entry, known, run);
        } catch (InvalidPostException e) {
            run.rejected(change.key(), e.problem());
            plan.action = null;
            return plan;
        } catch (RuntimeException e) {
            run.failed(change.key(), e);
            plan.action = null;
            return plan;
        }
    }

    /** Writes a post's page: If-Match the page the state knows, else If-None-Match; looks at what is there on a conflict. */
    private Plan writePage(Plan plan, byte[] html, PostEntry entry, Optional<PostEntry> known, Run run) {
        String siteKey = plan.siteKey();
        Precondition expected = known.map(e -> Precondition.matching(e.pageEtag())).orElse(Precondition.ABSENT);
        PutOptions options = pageOptions(plan, entry);
        for (int attempt = 1; attempt <= MAX_PAGE_ATTEMPTS; attempt++) {
            Optional<String> written = site.put(siteKey, html, options, expected);
            if (written.isPresent()) {
                plan.written = written;
                plan.entry = Optional.of(entry.toBuilder().pageEtag(written.get()).build());
                plan.commit = true;
                return done(plan, Action.RENDERED);
            }
            Optional<ObjectInfo> current = site.head(siteKey);
            if (current.isEmpty()) {
                expected = Precondition.ABSENT;
                continue;
            }
            Map<String, String> metadata = current.get().metadata();
            String owner = decode(metadata.getOrDefault(META_SOURCE_KEY, plan.change.key()));
            if (!owner.equals(plan.change.key())) {
                boolean ownerStays = !run.removed.contains(owner) && source.head(owner).isPresent();
                boolean ownerWins = SourceKey.ifValid(owner).map(key -> key.precedence(plan.key) < 0).orElse(true);
                if (ownerStays && ownerWins) {
                    throw new InvalidPostException(plan.change.key(), lost(siteKey, owner, plan.change.key()));
                }
                // this key takes the page over: the owner's listing goes, and its author hears why
                if (ownerStays) {
                    run.displaced(owner, lost(siteKey, plan.change.key(), owner));
                }
                plan.displaced.put(owner, Optional.of(new Position(Optional.ofNullable(metadata.get(META_DATE))
                        .flatMap(PostDate::parse), plan.key.pagePath())));
                plan.fence = true;
                expected = Precondition.unchangedFrom(current);
                continue;
            }
            if (plan.change.isOlderThan(Optional.ofNullable(metadata.get(META_SEQUENCER)))) {
                return done(plan, Action.STALE);
            }
            if (plan.listed.isEmpty()) {
                plan.listedAt = Optional.of(new Position(Optional.ofNullable(metadata.get(META_DATE))
                        .flatMap(PostDate::parse), plan.key.pagePath()));
            }
            if (!metadata.containsKey(META_SOURCE_ETAG)) {
                // a page without metadata (a folder keeps none): there is no telling its version
                plan.fence = true;
                expected = Precondition.unchangedFrom(current);
                continue;
            }
            if (entry.sourceEtag().map(e -> e.equals(metadata.get(META_SOURCE_ETAG))).orElse(false)
                    && entry.renderer().equals(metadata.get(META_RENDERER))) {
                // an earlier attempt wrote this very page and may not have committed
                plan.entry = Optional.of(entry.toBuilder().pageEtag(current.get().etag().orElse(entry.pageEtag())).build());
                plan.commit = true;
                return done(plan, Action.RENDERED);
            }
            plan.fence = true;
            expected = Precondition.unchangedFrom(current);
            if (attempt > 1) {
                Backoff.pause(attempt, siteKey);
            }
        }
        throw new StoreException(siteKey, "kept losing conditional writes of the page", null);
    }

    /** Plans to take a post off the site: the state first, then its page. */
    private Plan unpublish(Plan plan, StateStore.Snapshot snapshot, Map<String, PostEntry> head, Action action) {
        Optional<PostEntry> known = Optional.ofNullable(head.get(plan.change.key()));
        if (newerKnown(plan.change, known, snapshot.state())) {
            return done(plan, Action.STALE);
        }
        plan.listed = known;
        plan.commit = true;
        plan.fence = true;
        if (known.isPresent()) {
            plan.deleteEtag = Optional.of(known.get().pageEtag());
            return done(plan, action);
        }
        Optional<ObjectInfo> page = site.head(plan.siteKey());
        if (page.isPresent()) {
            Map<String, String> metadata = page.get().metadata();
            if (!decode(metadata.getOrDefault(META_SOURCE_KEY, plan.change.key())).equals(plan.change.key())) {
                plan.commit = false;
                plan.fence = false;
                return done(plan, action); // another key's page: not ours to remove
            }
            if (plan.change.isOlderThan(Optional.ofNullable(metadata.get(META_SEQUENCER)))) {
                return done(plan, Action.STALE);
            }
            plan.listedAt = Optional.of(new Position(Optional.ofNullable(metadata.get(META_DATE))
                    .flatMap(PostDate::parse), plan.key.pagePath()));
            plan.deleteEtag = page.get().etag();
        }
        return done(plan, action);
    }

    private static boolean newerKnown(SourceChange change, Optional<PostEntry> known, SiteState state) {
        return change.isOlderThan(known.flatMap(PostEntry::sequencer))
                || change.isOlderThan(state.fence(change.key()).flatMap(Fence::sequencer));
    }

    private static Plan done(Plan plan, Action action) {
        plan.action = action;
        return plan;
    }

    private PutOptions pageOptions(Plan plan, PostEntry entry) {
        Map<String, String> metadata = new HashMap<>();
        // user metadata travels as HTTP headers: keep it ASCII
        metadata.put(META_SOURCE_KEY, URLEncoder.encode(plan.change.key(), StandardCharsets.UTF_8));
        entry.sourceEtag().ifPresent(etag -> metadata.put(META_SOURCE_ETAG, etag));
        entry.sequencer().ifPresent(sequencer -> metadata.put(META_SEQUENCER, sequencer));
        metadata.put(META_RENDERER, entry.renderer());
        entry.date().ifPresent(date -> metadata.put(META_DATE, date.iso()));
        return new PutOptions(ContentTypes.HTML, Optional.of(config.cacheControl()), metadata);
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return encoded;
        }
    }

    // --- the front page's introduction

    private Optional<FrontPage> intro(SourceChange change, SiteRenderers.Renderers current, Run run) {
        try {
            Optional<StoredObject> object = change.removed() ? Optional.empty()
                    : source.get(change.key(), parser.maxBytes());
            Optional<FrontPage> page = Optional.empty();
            if (object.isPresent()) {
                Post post = parser.parse(SourceKey.of(change.key()), object.get().content());
                if (!post.frontMatter().draft()) {
                    RenderedIntro intro = current.pages().renderIntro(post);
                    page = Optional.of(new FrontPage(intro.title(), intro.description(), intro.html()));
                }
            }
            run.done(change.key(), Action.RENDERED, Optional.of("index.html"));
            return page;
        } catch (InvalidPostException e) {
            run.rejected(change.key(), e.problem());
            throw e;
        }
    }

    // --- the commit, and the pages around the posts

    private void commitAndWrite(Run run, List<Plan> plans, Optional<Optional<FrontPage>> intro,
                                SiteRenderers.Renderers current, StateStore.Snapshot first, boolean whole) {
        StateStore.Snapshot snapshot = first;
        Optional<StateStore.Lease> lease = Optional.empty();
        try {
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                if (!run.deadline.allowsCommit()) {
                    throw new UnfinishedException(StateStore.ROOT, "committed");
                }
                StateStore.Transaction tx = state.begin(snapshot);
                Map<String, PostEntry> head = known(snapshot, whole);
                List<Plan> active = validate(plans, snapshot, head, tx);
                Map<String, ListingEdit> edits = edit(active, snapshot.state(), tx);
                SiteState before = snapshot.state();
                SiteState.Builder next = before.toBuilder();
                edits.forEach((id, edit) -> next.listing(id, edit.meta()));
                intro.ifPresent(next::frontPage);
                next.layouts(current.layouts());
                next.fences(fences(before, active));
                next.feed(feed(before, active, edits, tx));
                next.months(months(before, edits.get(SiteState.FRONT)));
                SiteState proposed = next.build();
                boolean changed = !edits.values().stream().allMatch(ListingEdit::unchanged)
                        || !proposed.frontPage().equals(before.frontPage())
                        || !proposed.layouts().equals(before.layouts())
                        || !proposed.fences().equals(before.fences()) || !proposed.feed().equals(before.feed())
                        || !proposed.months().equals(before.months())
                        || edits.values().stream().anyMatch(edit -> !edit.meta().equals(before.listing(edit.id())));
                StateStore.Snapshot after = snapshot;
                if (changed) {
                    edits.values().forEach(edit -> tx.account(edit.released(), edit.retained()));
                    Optional<StateStore.Snapshot> written = state.commit(tx, proposed);
                    if (written.isEmpty()) {
                        // another batch committed first: take turns from now on, rather than race again
                        if (lease.isEmpty()) {
                            lease = state.lease(clock.millis() + run.deadline
                                    .waitAtMost(java.time.Duration.ofMillis(LEASE_WAIT_MILLIS)).toMillis());
                        } else {
                            Backoff.pause(round, StateStore.ROOT);
                        }
                        snapshot = state.read();
                        continue;
                    }
                    after = written.get();
                }
                lease.ifPresent(state::release);
                lease = Optional.empty();
                finish(run, plans, active, edits, before, after, tx, current, whole);
                return;
            }
        } finally {
            lease.ifPresent(state::release);
        }
        throw new StoreException(StateStore.ROOT, "the state kept changing under " + MAX_ROUNDS + " attempts", null);
    }

    /**
     * Checks each plan against the state it will commit on: a newer change another batch
     * committed meanwhile wins (and a page this batch wrote for a post since unpublished goes);
     * the entry to take out is looked up where the state now has it.
     */
    private List<Plan> validate(List<Plan> plans, StateStore.Snapshot snapshot, Map<String, PostEntry> head,
                                StateStore.Transaction tx) {
        List<Plan> active = new ArrayList<>();
        Optional<ListingMeta> front = snapshot.state().listing(SiteState.FRONT);
        for (Plan plan : plans) {
            if (plan.action == null || !plan.commit) {
                continue;
            }
            Optional<PostEntry> known = Optional.ofNullable(head.get(plan.change.key()));
            if (newerKnown(plan.change, known, snapshot.state())) {
                plan.action = Action.STALE;
                Optional<Fence> fence = snapshot.state().fence(plan.change.key());
                if (plan.written.isPresent() && fence.filter(Fence::removed).isPresent()) {
                    site.delete(plan.siteKey(), plan.written.get());
                }
                continue;
            }
            if (known.isPresent()) {
                plan.listed = known;
            } else if (plan.listed.isPresent() || plan.listedAt.isPresent()) {
                Position at = plan.listed.map(PostEntry::position).orElseGet(plan.listedAt::get);
                plan.listed = ListingEditor.find(front, at, tx)
                        .filter(entry -> entry.key().equals(plan.change.key()))
                        .or(() -> ListingEditor.scan(front, plan.key.pagePath(), tx)
                                .filter(entry -> entry.key().equals(plan.change.key())));
            }
            List<PostEntry> displacedEntries = new ArrayList<>();
            plan.displaced.forEach((key, at) -> Optional.ofNullable(head.get(key))
                    .or(() -> at.flatMap(position -> ListingEditor.find(front, position, tx)))
                    .filter(entry -> entry.key().equals(key))
                    .ifPresent(displacedEntries::add));
            plan.displacedEntries = displacedEntries;
            active.add(plan);
        }
        return active;
    }

    private Map<String, ListingEdit> edit(List<Plan> plans, SiteState before, StateStore.Transaction tx) {
        Map<String, List<Position>> removals = new TreeMap<>();
        Map<String, List<PostEntry>> insertions = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (Plan plan : plans) {
            List<PostEntry> unlisted = new ArrayList<>(plan.displacedEntries);
            plan.listed.ifPresent(unlisted::add);
            for (PostEntry old : unlisted) {
                removals.computeIfAbsent(SiteState.FRONT, id -> new ArrayList<>()).add(old.position());
                for (String tag : old.tags()) {
                    removals.computeIfAbsent(SiteState.tagListing(TagSlug.of(tag)), id -> new ArrayList<>())
                            .add(old.position());
                }
            }
            if (plan.action == Action.RENDERED || plan.action == Action.UNCHANGED) {
                PostEntry entry = plan.entry.orElseThrow();
                insertions.computeIfAbsent(SiteState.FRONT, id -> new ArrayList<>()).add(entry);
                for (String tag : entry.tags()) {
                    String id = SiteState.tagListing(TagSlug.of(tag));
                    insertions.computeIfAbsent(id, key -> new ArrayList<>()).add(entry.card());
                    names.putIfAbsent(id, tag);
                }
            }
        }
        Set<String> ids = new TreeSet<>(removals.keySet());
        ids.addAll(insertions.keySet());
        // read what the edits will read in as few requests as the packs allow
        for (int round = 0; round < 3; round++) {
            List<String> refs = new ArrayList<>();
            for (String id : ids) {
                List<Position> positions = new ArrayList<>(removals.getOrDefault(id, List.of()));
                insertions.getOrDefault(id, List.of()).forEach(entry -> positions.add(entry.position()));
                refs.addAll(ListingEditor.partsFor(before.listing(id), positions, round, tx));
            }
            tx.prefetch(refs);
        }
        Map<String, ListingEdit> edits = new LinkedHashMap<>();
        for (String id : ids) {
            edits.put(id, ListingEditor.apply(id, names.getOrDefault(id, ""), before.listing(id),
                    List.copyOf(new java.util.LinkedHashSet<>(removals.getOrDefault(id, List.of()))),
                    insertions.getOrDefault(id, List.of()), tx));
        }
        return edits;
    }

    /**
     * The posts of the feed after the batch: the newest of what the feed had and what the batch
     * lists; when removals leave fewer than the feed holds, the next posts of the front listing.
     */
    private static List<FeedRef> feed(SiteState before, List<Plan> plans, Map<String, ListingEdit> edits,
                                      StateStore.Transaction tx) {
        Map<String, FeedRef> window = new LinkedHashMap<>();
        before.feed().forEach(item -> window.put(item.path(), item));
        for (Plan plan : plans) {
            plan.listed.ifPresent(old -> window.remove(old.path()));
        }
        for (Plan plan : plans) {
            if (plan.action == Action.RENDERED) {
                plan.entry.ifPresent(entry -> window.put(entry.path(), FeedRef.of(entry)));
            }
        }
        List<FeedRef> newest = new ArrayList<>(window.values());
        newest.sort((a, b) -> a.position().compareTo(b.position()));
        Optional<ListingMeta> front = Optional.ofNullable(edits.get(SiteState.FRONT)).map(ListingEdit::meta)
                .orElse(before.listing(SiteState.FRONT));
        int posts = front.map(ListingMeta::posts).orElse(0);
        if (newest.size() < Math.min(SitePages.FEED_SIZE, posts)) {
            // removals opened the window: the next posts of the listing move in
            for (PostEntry entry : ListingEditor.newest(front, SitePages.FEED_SIZE, tx)) {
                if (!window.containsKey(entry.path())) {
                    window.put(entry.path(), FeedRef.of(entry));
                }
            }
            newest = new ArrayList<>(window.values());
            newest.sort((a, b) -> a.position().compareTo(b.position()));
        }
        return List.copyOf(newest.subList(0, Math.min(SitePages.FEED_SIZE, newest.size())));
    }

    /** How many front archive pages each month has, after the pages the front listing's edit added and removed. */
    private static java.util.SortedMap<String, Integer> months(SiteState before, ListingEdit front) {
        java.util.SortedMap<String, Integer> months = new TreeMap<>(before.months());
        if (front != null) {
            for (ListingEdit.PageChange change : front.archive()) {
                int delta = (change.after().isPresent() ? 1 : 0) - (change.before().isPresent() ? 1 : 0);
                if (delta != 0) {
                    months.merge(SitePages.month(change.name()), delta, Integer::sum);
                    months.remove(SitePages.month(change.name()), 0);
                }
            }
        }
        return months;
    }

    private List<Fence> fences(SiteState before, List<Plan> plans) {
        long now = clock.millis();
        List<Fence> fences = new ArrayList<>();
        for (Fence fence : before.fences()) {
            if (now - fence.at() < SiteState.FENCE_MILLIS) {
                fences.add(fence);
            }
        }
        for (Plan plan : plans) {
            if (plan.fence) {
                fences.removeIf(fence -> fence.key().equals(plan.change.key()));
                fences.add(new Fence(plan.change.key(), plan.change.sequencer(),
                        plan.action != Action.RENDERED, now));
            }
        }
        return fences;
    }

    /** After the commit: unpublished pages go, the pages around the posts follow, results are recorded. */
    private void finish(Run run, List<Plan> plans, List<Plan> active, Map<String, ListingEdit> edits,
                        SiteState before, StateStore.Snapshot after, StateStore.Transaction tx,
                        SiteRenderers.Renderers current, boolean whole) {
        Parallel.map(active.stream().filter(plan -> plan.deleteEtag.isPresent()).toList(), plan -> {
            site.delete(plan.siteKey(), plan.deleteEtag.get());
            return null;
        });
        SitePagesWriter pages = new SitePagesWriter(site, config.cacheControl(), after.state().version(),
                after.md5Etags());
        new DerivedPages(site, source, parser, pages, current, config, tx).write(before, after.state(), edits,
                listed(active), whole, unchangedListings(plans));
        for (Plan plan : plans) {
            if (plan.action != null) {
                run.done(plan.change.key(), plan.action, plan.key.siteKey());
            }
        }
    }

    /** The posts this batch listed, with their bodies, which the feed may show without rendering them again. */
    private static Map<String, DerivedPages.Listed> listed(List<Plan> plans) {
        Map<String, DerivedPages.Listed> listed = new LinkedHashMap<>();
        for (Plan plan : plans) {
            if (plan.action == Action.RENDERED && plan.entry.isPresent()) {
                PostEntry entry = plan.entry.get();
                listed.put(entry.path(), new DerivedPages.Listed(entry, plan.content));
            }
        }
        return listed;
    }

    /**
     * Listings of posts whose change found its work already done (a duplicate, or a removal of
     * what is no longer listed): a retry may follow an attempt that died before their pages.
     */
    private static Set<String> unchangedListings(List<Plan> plans) {
        Set<String> ids = new TreeSet<>();
        for (Plan plan : plans) {
            boolean retried = plan.action == Action.UNCHANGED
                    || (plan.commit && plan.entry.isEmpty() && plan.listed.isEmpty());
            if (retried && plan.action != null) {
                ids.add(SiteState.FRONT);
                plan.entry.ifPresent(entry -> entry.tags()
                        .forEach(tag -> ids.add(SiteState.tagListing(TagSlug.of(tag)))));
            }
        }
        return ids;
    }

    /**
     * The posts the state lists that a batch knows without a lookup: those of the front page; for a
     * rebuild of the whole site, every post (a folder keeps no metadata on its pages to find them by).
     */
    private Map<String, PostEntry> known(StateStore.Snapshot snapshot, boolean whole) {
        Map<String, PostEntry> known = new HashMap<>();
        Optional<ListingMeta> front = snapshot.state().listing(SiteState.FRONT);
        if (front.isEmpty()) {
            return known;
        }
        StateStore.Transaction tx = state.begin(snapshot);
        tx.entries(front.get().head()).forEach(entry -> known.put(entry.key(), entry));
        if (whole) {
            List<String> refs = new ArrayList<>();
            front.get().directory().forEach(part -> tx.directory(part.ref()).forEach(page -> refs.add(page.ref())));
            tx.prefetch(refs);
            refs.forEach(ref -> tx.entries(ref).forEach(entry -> known.put(entry.key(), entry)));
        }
        return known;
    }

    // --- assets

    private void asset(SourceChange change, Run run) {
        String key = change.key();
        SourceKey sourceKey = SourceKey.of(key);
        if (change.removed()) {
            if (source.head(key).isPresent()) {
                run.done(key, Action.KEPT, Optional.of(key));
                return;
            }
            Optional<ObjectInfo> published = site.head(key);
            if (published.isPresent() && !ownedBy(published.get(), key)) {
                run.done(key, Action.IGNORED, Optional.of(key)); // a post's page: not this file's to remove
                return;
            }
            published.ifPresent(object -> deleteUnchanged(key, object));
            run.done(key, Action.DELETED, Optional.of(key));
            return;
        }
        RawHtmlPolicy policy = config.render().rawHtml();
        Optional<String> active = ActiveContent.byName(key, policy);
        if (active.isPresent()) {
            throw new InvalidPostException(key, active.get());
        }
        List<SourceKey> rivals = rivalsFor(sourceKey);
        if (!rivals.isEmpty()) {
            throw new InvalidPostException(key, lost(sourceKey, rivals.get(0)));
        }
        // a file that could be a post's page, or whose content decides: read, checked and written conditionally
        boolean conditional = !sourceKey.rivalPrefixes().isEmpty() || ActiveContent.needsCheck(key, policy);
        for (int round = 1; round <= MAX_PAGE_ATTEMPTS; round++) {
            Optional<ObjectInfo> published = site.head(key);
            if (published.isPresent() && !ownedBy(published.get(), key)) {
                String owner = decode(published.get().metadata().get(META_SOURCE_KEY));
                throw new InvalidPostException(key, lost(key, owner, key));
            }
            if (change.isOlderThan(published.map(info -> info.metadata().get(META_SEQUENCER)))) {
                run.done(key, Action.STALE, Optional.of(key));
                return;
            }
            Optional<ObjectInfo> object = source.head(key);
            if (object.isEmpty()) {
                published.ifPresent(asset -> deleteUnchanged(key, asset));
                run.done(key, Action.SOURCE_MISSING, Optional.of(key));
                return;
            }
            Optional<String> etag = object.get().etag();
            if (round == 1 && change.etag().isPresent() && etag.isPresent() && !change.etag().equals(etag)) {
                run.done(key, Action.SUPERSEDED, Optional.of(key));
                return;
            }
            if (etag.isPresent() && published.map(info -> info.metadata().get(META_SOURCE_ETAG))
                    .filter(etag.get()::equals).isPresent()) {
                run.done(key, Action.UNCHANGED, Optional.of(key));
                return;
            }
            if (conditional ? copyChecked(key, published, change, policy) : copy(key, etag, change)) {
                run.done(key, Action.COPIED, Optional.of(key));
                return;
            }
            Backoff.pause(round, key);
        }
        throw new StoreException(key, "the asset kept changing while it was copied", null);
    }

    /** The posts in the source that take precedence over an asset for its site key. */
    private List<SourceKey> rivalsFor(SourceKey asset) {
        if (asset.rivalPrefixes().isEmpty()) {
            return List.of();
        }
        return rivalsInSource(asset).stream().filter(SourceKey::isMarkdown).toList();
    }

    /** Copies an asset server-side; true if what was copied is still the source's version. */
    private boolean copy(String key, Optional<String> etag, SourceChange change) {
        if (!source.copyTo(key, site, assetOptions(key, etag, change))) {
            return false;
        }
        // a delete or a new version racing the copy: copy or remove again from what is there now
        return source.head(key).flatMap(ObjectInfo::etag).equals(etag);
    }

    /**
     * Reads an asset, checks its content for script, and writes it only over what was there when
     * looked at (a post's page written meanwhile is never replaced); true if written.
     */
    private boolean copyChecked(String key, Optional<ObjectInfo> published, SourceChange change,
                                RawHtmlPolicy policy) {
        Optional<StoredObject> object = source.get(key, ActiveContent.MAX_CHECKED_BYTES);
        if (object.isEmpty()) {
            return false;
        }
        byte[] content = object.get().content();
        if (ActiveContent.needsCheck(key, policy)) {
            Optional<String> problem = ActiveContent.inContent(key, content, policy);
            if (problem.isPresent()) {
                throw new InvalidPostException(key, problem.get());
            }
        }
        Precondition expected = Precondition.unchangedFrom(published);
        return site.put(key, content, assetOptions(key, object.get().info().etag(), change), expected).isPresent();
    }

    private PutOptions assetOptions(String key, Optional<String> etag, SourceChange change) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(META_SOURCE_KEY, URLEncoder.encode(key, StandardCharsets.UTF_8));
        etag.ifPresent(tag -> metadata.put(META_SOURCE_ETAG, tag));
        change.sequencer().ifPresent(sequencer -> metadata.put(META_SEQUENCER, sequencer));
        return new PutOptions(ContentTypes.of(key), Optional.of(config.assetCacheControl()), metadata);
    }

    /** True if a site object was published from this source key (or keeps no record of its source, as in a folder). */
    private static boolean ownedBy(ObjectInfo published, String key) {
        return decode(published.metadata().getOrDefault(META_SOURCE_KEY, key)).equals(key);
    }

    private void deleteUnchanged(String key, ObjectInfo published) {
        if (published.etag().isPresent()) {
            site.delete(key, published.etag().get());
        } else {
            site.delete(key);
        }
    }

    // --- results

    /** What became of each key of a batch; thread-safe. */
    private static final class Run {
        final Deadline deadline;
        final List<SourceChange> assets = new ArrayList<>();
        /** Assets that take over the page of a post this batch removes. */
        final List<SourceChange> successorAssets = new ArrayList<>();
        /** The keys this batch removes. */
        final Set<String> removed = new HashSet<>();
        /** Keys refused in this batch because another key of it takes their page, by that key. */
        final Map<String, Set<String>> displacedBy = new HashMap<>();
        private final Map<String, PublishResult> done = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, String> rejected = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, RuntimeException> failed = Collections.synchronizedMap(new LinkedHashMap<>());

        Run(Deadline deadline) {
            this.deadline = deadline;
        }

        /** Stops a key's work before it starts when the batch has no time left to finish it. */
        void checkTime(String key) {
            if (!deadline.allowsWork()) {
                throw new UnfinishedException(key, "handled");
            }
        }

        void done(String key, Action action, Optional<String> siteKey) {
            if (!rejected.containsKey(key) && !failed.containsKey(key)) {
                done.put(key, new PublishResult(key, action, siteKey));
            }
        }

        void rejected(String key, String problem) {
            done.remove(key);
            rejected.put(key, problem);
        }

        void failed(String key, RuntimeException error) {
            done.remove(key);
            failed.put(key, error);
        }

        /** A key outside the batch whose page a key of the batch took over. */
        void displaced(String key, String problem) {
            if (!done.containsKey(key) && !failed.containsKey(key)) {
                rejected.putIfAbsent(key, problem);
            }
        }

        void rejectedUnlessDone(String key, String problem) {
            if (!done.containsKey(key) && !failed.containsKey(key)) {
                rejected.putIfAbsent(key, problem);
            }
        }

        void failedUnlessDone(String key, RuntimeException error) {
            if (!rejected.containsKey(key)) {
                done.remove(key);
                failed.put(key, error);
            }
        }

        void guard(String key, Runnable work) {
            try {
                work.run();
            } catch (InvalidPostException e) {
                rejected(key, e.problem());
            } catch (RuntimeException e) {
                failed(key, e);
            }
        }

        BatchResult result() {
            return new BatchResult(new ArrayList<>(done.values()),
                    rejected.entrySet().stream().map(e -> new BatchResult.Rejection(e.getKey(), e.getValue())).toList(),
                    failed.entrySet().stream().map(e -> new BatchResult.Failure(e.getKey(), e.getValue())).toList());
        }
    }
}
