package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.Post;
import dev.postrenderer.post.PostDate;
import dev.postrenderer.post.PostParser;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
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
    private static final int MAX_PAGE_ATTEMPTS = 8;

    private final ObjectStore source;
    private final ObjectStore site;
    private final SiteRenderers renderers;
    private final SiteConfig config;
    private final PostParser parser;
    private final StateStore state;
    private final SitePagesWriter pages;
    private final Clock clock;

    public Publisher(ObjectStore source, ObjectStore site, SiteRenderers renderers, SiteConfig config, Clock clock) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.site = Objects.requireNonNull(site, "site == null");
        this.renderers = Objects.requireNonNull(renderers, "renderers == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.parser = new PostParser(config.maxPostBytes());
        this.state = new StateStore(site, clock);
        this.pages = new SitePagesWriter(site, config.cacheControl());
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
        return apply(changes, false);
    }

    /** Applies every object of the source as one batch, and removes what the source no longer has. */
    public BatchResult rebuild() {
        List<SourceChange> all = new ArrayList<>();
        source.list("").forEach(object -> all.add(SourceChange.created(object.key())));
        return apply(all, true);
    }

    private BatchResult apply(List<SourceChange> changes, boolean whole) {
        Run run = new Run();
        List<SourceChange> posts = new ArrayList<>();
        Optional<SourceChange> intro = Optional.empty();
        List<String> layoutKeys = new ArrayList<>();
        boolean layouts = whole;
        for (SourceChange change : SourceChange.newestPerKey(changes)) {
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
                    case FRONT_PAGE -> intro = Optional.of(change);
                    case POST -> posts.add(change);
                }
            } catch (InvalidPostException e) {
                run.rejected(change.key(), e.problem());
            }
        }
        Parallel.map(run.assets, change -> {
            run.guard(change.key(), () -> asset(change, run));
            return null;
        });
        if (posts.isEmpty() && intro.isEmpty() && !layouts) {
            return run.result();
        }
        List<String> stateKeys = new ArrayList<>(posts.stream().map(SourceChange::key).toList());
        intro.ifPresent(change -> stateKeys.add(change.key()));
        stateKeys.addAll(layoutKeys);
        try {
            boolean rendered = publish(run, posts, intro, layouts, whole);
            layoutKeys.forEach(key -> run.done(key, rendered ? Action.RENDERED : Action.UNCHANGED, Optional.empty()));
        } catch (InvalidPostException e) {
            // a custom layout that does not compile: nothing can be rendered with it
            stateKeys.forEach(key -> run.rejectedUnlessDone(key, e.problem()));
        } catch (RuntimeException e) {
            stateKeys.forEach(key -> run.failedUnlessDone(key, e));
        }
        return run.result();
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
        try {
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
            PostEntry entry = PostEntries.of(plan.key, page, etag,
                    change.sequencer().or(() -> known.flatMap(PostEntry::sequencer)), renderer, ETags.of(html));
            plan.entry = Optional.of(entry);
            plan.content = PostEntries.feedContent(page, plan.key, config.render());
            plan.listed = known;
            return writePage(plan, html, entry, known, snapshot);
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
    private Plan writePage(Plan plan, byte[] html, PostEntry entry, Optional<PostEntry> known,
                           StateStore.Snapshot snapshot) {
        String siteKey = plan.siteKey();
        Precondition expected = known.map(e -> Precondition.matching(e.pageEtag())).orElse(Precondition.ABSENT);
        PutOptions options = pageOptions(plan, entry);
        for (int attempt = 1; attempt <= MAX_PAGE_ATTEMPTS; attempt++) {
            if (site.put(siteKey, html, options, expected)) {
                plan.written = Optional.of(entry.pageEtag());
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
                throw new InvalidPostException(plan.change.key(), siteKey + " is already published from " + owner);
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
        for (int round = 1; round <= MAX_ROUNDS; round++) {
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
            SiteState proposed = next.build();
            boolean changed = !edits.values().stream().allMatch(ListingEdit::unchanged)
                    || !proposed.frontPage().equals(before.frontPage()) || !proposed.layouts().equals(before.layouts())
                    || !proposed.fences().equals(before.fences()) || !proposed.feed().equals(before.feed())
                    || edits.values().stream().anyMatch(edit -> !edit.meta().equals(before.listing(edit.id())));
            StateStore.Snapshot after = snapshot;
            if (changed) {
                edits.values().forEach(edit -> tx.account(edit.released(), edit.retained()));
                Optional<StateStore.Snapshot> written = state.commit(tx, proposed);
                if (written.isEmpty()) {
                    snapshot = state.read();
                    Backoff.pause(round, StateStore.ROOT);
                    continue;
                }
                after = written.get();
            }
            finish(run, plans, active, edits, before, after, tx, current, whole);
            return;
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
            active.add(plan);
        }
        return active;
    }

    private Map<String, ListingEdit> edit(List<Plan> plans, SiteState before, StateStore.Transaction tx) {
        Map<String, List<Position>> removals = new TreeMap<>();
        Map<String, List<PostEntry>> insertions = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (Plan plan : plans) {
            plan.listed.ifPresent(old -> {
                removals.computeIfAbsent(SiteState.FRONT, id -> new ArrayList<>()).add(old.position());
                for (String tag : old.tags()) {
                    removals.computeIfAbsent(SiteState.tagListing(TagSlug.of(tag)), id -> new ArrayList<>())
                            .add(old.position());
                }
            });
            if (plan.action == Action.RENDERED || plan.action == Action.UNCHANGED) {
                PostEntry entry = plan.entry.orElseThrow();
                insertions.computeIfAbsent(SiteState.FRONT, id -> new ArrayList<>()).add(entry);
                for (String tag : entry.tags()) {
                    String id = SiteState.tagListing(TagSlug.of(tag));
                    insertions.computeIfAbsent(id, key -> new ArrayList<>()).add(entry);
                    names.putIfAbsent(id, tag);
                }
            }
        }
        Set<String> ids = new TreeSet<>(removals.keySet());
        ids.addAll(insertions.keySet());
        Map<String, ListingEdit> edits = new LinkedHashMap<>();
        for (String id : ids) {
            edits.put(id, ListingEditor.apply(id, names.getOrDefault(id, ""), before.listing(id),
                    removals.getOrDefault(id, List.of()), insertions.getOrDefault(id, List.of()), tx));
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
            site.delete(key);
            run.done(key, Action.DELETED, Optional.of(key));
            return;
        }
        for (int round = 1; round <= MAX_PAGE_ATTEMPTS; round++) {
            Optional<ObjectInfo> published = site.head(key);
            if (change.isOlderThan(published.map(info -> info.metadata().get(META_SEQUENCER)))) {
                run.done(key, Action.STALE, Optional.of(key));
                return;
            }
            Optional<ObjectInfo> object = source.head(key);
            if (object.isEmpty()) {
                published.ifPresent(asset -> site.delete(key));
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
            Map<String, String> metadata = new HashMap<>();
            metadata.put(META_SOURCE_KEY, URLEncoder.encode(sourceKey.key(), StandardCharsets.UTF_8));
            etag.ifPresent(tag -> metadata.put(META_SOURCE_ETAG, tag));
            change.sequencer().ifPresent(sequencer -> metadata.put(META_SEQUENCER, sequencer));
            if (source.copyTo(key, site, new PutOptions(ContentTypes.of(key), Optional.of(config.cacheControl()),
                    metadata))) {
                // a delete or a new version racing the copy: copy or remove again from what is there now
                Optional<String> now = source.head(key).flatMap(ObjectInfo::etag);
                if (now.equals(etag)) {
                    run.done(key, Action.COPIED, Optional.of(key));
                    return;
                }
            }
            Backoff.pause(round, key);
        }
        throw new StoreException(key, "the asset kept changing while it was copied", null);
    }

    // --- results

    /** What became of each key of a batch; thread-safe. */
    private static final class Run {
        final List<SourceChange> assets = new ArrayList<>();
        private final Map<String, PublishResult> done = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, String> rejected = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, RuntimeException> failed = Collections.synchronizedMap(new LinkedHashMap<>());

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
