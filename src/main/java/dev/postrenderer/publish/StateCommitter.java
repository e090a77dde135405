package dev.postrenderer.publish;

import dev.postrenderer.publish.PostOutcome.Listed;
import dev.postrenderer.publish.PostOutcome.Unlisted;
import dev.postrenderer.publish.PostOutcome.Untouched;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.site.Fence;
import dev.postrenderer.site.ListingEdit;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.Listings;
import dev.postrenderer.site.Position;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The commit stage: applies a batch's post outcomes to the site's state with one conditional write
 * of its root (see {@link StateStore}). Each attempt checks every change against the state it
 * commits on (a newer change another batch committed meanwhile wins, and a page this batch wrote for
 * a post since unpublished goes), edits the listings ({@link ListingEdits}), and proposes the next
 * state ({@link NextState}). A batch that loses the race reads the state again and edits again,
 * after the first loss holding a {@link CommitLease}, so that contending batches take turns rather
 * than starve; all within the batch's deadline. Thread-safe if its store is.
 */
final class StateCommitter {

    private static final int MAX_ROUNDS = 30;
    /** How long a batch that lost a commit waits for its turn. */
    private static final Duration LEASE_WAIT = Duration.ofSeconds(60);

    private final ObjectStore site;
    private final StateStore state;
    private final CommitLease leases;
    private final Clock clock;

    StateCommitter(ObjectStore site, StateStore state, Clock clock) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.state = Objects.requireNonNull(state, "state == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.leases = new CommitLease(site, clock);
    }

    /**
     * Commits the changes on the state, starting from the snapshot the batch read.
     *
     * @throws UnfinishedException if the deadline leaves no time to commit
     * @throws StoreException      if the state kept changing under every attempt
     */
    Commit commit(List<PostOutcome> posts, NextState next, boolean whole, StateStore.Snapshot first,
                  Deadline deadline) {
        StateStore.Snapshot snapshot = first;
        Optional<CommitLease.Held> lease = Optional.empty();
        try {
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                if (!deadline.allowsCommit()) {
                    throw new UnfinishedException(StateStore.ROOT, "committed");
                }
                StateStore.Transaction tx = state.begin(snapshot);
                SiteState before = snapshot.state();
                List<PostOutcome> outcomes = new ArrayList<>();
                List<ResolvedChange> applied = resolve(posts, tx, known(tx, whole), outcomes);
                Map<String, ListingEdit> edits = ListingEdits.of(applied, before, tx);
                SiteState proposed = next.build(before, edits, applied, tx);
                if (!NextState.changes(before, proposed, edits)) {
                    return new Commit(before, snapshot, edits, applied, outcomes, tx);
                }
                edits.values().forEach(edit -> tx.account(edit.released(), edit.retained()));
                Optional<StateStore.Snapshot> written = state.commit(tx, proposed);
                if (written.isPresent()) {
                    return new Commit(before, written.get(), edits, applied, outcomes, tx);
                }
                // another batch committed first: take turns from now on, rather than race again
                if (lease.isEmpty()) {
                    lease = leases.take(clock.millis() + deadline.waitAtMost(LEASE_WAIT).toMillis());
                } else {
                    Backoff.pause(round, StateStore.ROOT);
                }
                snapshot = state.read();
            }
        } finally {
            lease.ifPresent(leases::release);
        }
        throw new StoreException(StateStore.ROOT, "the state kept changing under " + MAX_ROUNDS + " attempts", null);
    }

    /**
     * The posts the state lists that a batch knows without a lookup: those of the front page; for a
     * rebuild of the whole site, every post (a folder keeps no metadata on its pages to find them by).
     */
    static Map<String, PostEntry> known(StateStore.Transaction tx, boolean whole) {
        Map<String, PostEntry> known = new HashMap<>();
        Optional<ListingMeta> front = tx.base().state().listing(SiteState.FRONT);
        if (front.isEmpty()) {
            return known;
        }
        tx.entries(front.get().head()).forEach(entry -> known.put(entry.key(), entry));
        if (whole) {
            List<String> refs = new ArrayList<>();
            front.get().directory().forEach(part -> tx.directory(part.ref()).forEach(page -> refs.add(page.ref())));
            tx.prefetch(refs);
            refs.forEach(ref -> tx.entries(ref).forEach(entry -> known.put(entry.key(), entry)));
        }
        return known;
    }

    /**
     * Checks each outcome against the state it will commit on, and finds where its post and the keys
     * whose page it took over are listed now; the outcomes, with those another batch outdated made
     * {@code STALE}, go to {@code outcomes}.
     */
    private List<ResolvedChange> resolve(List<PostOutcome> posts, StateStore.Transaction tx,
                                         Map<String, PostEntry> head, List<PostOutcome> outcomes) {
        List<ResolvedChange> applied = new ArrayList<>();
        StateStore.Snapshot snapshot = tx.base();
        Optional<ListingMeta> front = snapshot.state().listing(SiteState.FRONT);
        for (PostOutcome post : posts) {
            if (post instanceof Untouched) {
                outcomes.add(post);
                continue;
            }
            SourceChange change = post.change();
            Optional<PostEntry> known = Optional.ofNullable(head.get(change.key()));
            if (PostPages.newerKnown(change, known, snapshot.state())) {
                outcomes.add(new Untouched(change, post.key(), Action.STALE, Optional.empty()));
                Optional<String> written = post instanceof Listed listed ? listed.written() : Optional.empty();
                if (written.isPresent() && snapshot.state().fence(change.key()).filter(Fence::removed).isPresent()) {
                    // the post was unpublished since this batch wrote its page: the page goes
                    site.delete(post.key().siteKey().orElseThrow(), written.get());
                }
                continue;
            }
            outcomes.add(post);
            PostOutcome.Previous previous = post instanceof Listed listed ? listed.previous()
                    : ((Unlisted) post).previous();
            Optional<PostEntry> listed = known.isPresent() ? known : find(front, previous, post, tx);
            List<PostEntry> displaced = new ArrayList<>();
            if (post instanceof Listed rendered) {
                rendered.displaced().forEach((key, at) -> Optional.ofNullable(head.get(key))
                        .or(() -> at.flatMap(position -> Listings.find(front, position, tx)))
                        .filter(entry -> entry.key().equals(key))
                        .ifPresent(displaced::add));
            }
            applied.add(new ResolvedChange(post, listed, displaced));
        }
        return applied;
    }

    /** Where a post is listed, looked up at the position it was known at, else anywhere in the listing. */
    private static Optional<PostEntry> find(Optional<ListingMeta> front, PostOutcome.Previous previous,
                                            PostOutcome post, StateStore.Transaction tx) {
        Optional<Position> at = previous.known().map(PostEntry::position).or(previous::at);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        String key = post.change().key();
        return Listings.find(front, at.get(), tx).filter(entry -> entry.key().equals(key))
                .or(() -> Listings.scan(front, post.key().pagePath(), tx).filter(entry -> entry.key().equals(key)));
    }
}
