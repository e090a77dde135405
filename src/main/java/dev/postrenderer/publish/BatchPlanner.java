package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first stage of a batch: collapses its changes to the newest per key, sorts them by what they
 * touch (posts, the introduction, assets, layouts, keys that publish nothing), and settles which
 * key owns a site key that several map to: of the keys a batch creates, the one that takes
 * precedence; for a key the batch removes, the rival in the source that takes its page over.
 * Refusals and ignored keys are recorded as it goes. Thread-safe if the source store is.
 */
final class BatchPlanner {

    private final SourceRivals rivals;

    BatchPlanner(SourceRivals rivals) {
        this.rivals = Objects.requireNonNull(rivals, "rivals == null");
    }

    BatchPlan plan(List<SourceChange> changes, boolean whole, Outcomes outcomes) {
        List<SourceChange> posts = new ArrayList<>();
        List<SourceChange> intros = new ArrayList<>();
        List<SourceChange> assets = new ArrayList<>();
        List<String> layoutKeys = new ArrayList<>();
        Set<String> removed = new HashSet<>();
        for (SourceChange change : SourceChange.newestPerKey(changes)) {
            if (change.removed()) {
                removed.add(change.key());
            }
            try {
                SourceKey key = SourceKey.of(change.key());
                switch (key.kind()) {
                    case IGNORED -> {
                        if (key.key().startsWith(SiteRenderers.PREFIX)) {
                            layoutKeys.add(change.key());
                        } else {
                            outcomes.done(change.key(), Action.IGNORED, Optional.empty());
                        }
                    }
                    case ASSET -> assets.add(change);
                    case FRONT_PAGE -> intros.add(change);
                    case POST -> posts.add(change);
                }
            } catch (InvalidPostException e) {
                outcomes.rejected(change.key(), e.problem());
            }
        }
        Map<String, Set<String>> displacedBy = new HashMap<>();
        posts = winners(posts, displacedBy, outcomes);
        intros = winners(intros, displacedBy, outcomes);
        List<SourceChange> successorAssets = new ArrayList<>();
        successors(posts, intros, successorAssets, removed);
        Optional<SourceChange> intro = intro(intros, removed, outcomes);
        return new BatchPlan(posts, intro, assets, successorAssets, layoutKeys, whole, removed, displacedBy, Set.of());
    }

    /**
     * Of the keys a batch creates that map to one site key, keeps the one that takes precedence; the
     * others are refused, naming it.
     */
    private static List<SourceChange> winners(List<SourceChange> changes, Map<String, Set<String>> displacedBy,
                                              Outcomes outcomes) {
        Map<String, List<SourceKey>> bySiteKey = new HashMap<>();
        for (SourceChange change : changes) {
            if (!change.removed()) {
                SourceKey key = SourceKey.of(change.key());
                bySiteKey.computeIfAbsent(key.siteKey().orElseThrow(), site -> new ArrayList<>()).add(key);
            }
        }
        Set<String> losers = new HashSet<>();
        for (List<SourceKey> contenders : bySiteKey.values()) {
            if (contenders.size() > 1) {
                contenders.sort(SourceKey::precedence);
                SourceKey winner = contenders.get(0);
                for (SourceKey loser : contenders.subList(1, contenders.size())) {
                    outcomes.rejected(loser.key(), SourceRivals.lost(loser, winner));
                    displacedBy.computeIfAbsent(winner.key(), key -> new TreeSet<>()).add(loser.key());
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
    private void successors(List<SourceChange> posts, List<SourceChange> intros, List<SourceChange> successorAssets,
                            Set<String> removed) {
        List<SourceChange> gone = new ArrayList<>(posts.stream().filter(SourceChange::removed).toList());
        gone.addAll(intros.stream().filter(SourceChange::removed).toList());
        if (gone.isEmpty()) {
            return;
        }
        Set<String> created = new HashSet<>();
        posts.stream().filter(change -> !change.removed())
                .forEach(change -> created.add(SourceKey.of(change.key()).siteKey().orElseThrow()));
        intros.stream().filter(change -> !change.removed()).forEach(change -> created.add("index.html"));
        List<SourceChange> addedPosts = new ArrayList<>();
        for (SourceChange change : gone) {
            SourceKey key = SourceKey.of(change.key());
            String siteKey = key.siteKey().orElseThrow();
            if (created.contains(siteKey)) {
                continue;
            }
            rivals.of(key).stream().filter(rival -> !removed.contains(rival.key())).findFirst().ifPresent(successor -> {
                created.add(siteKey);
                SourceChange next = SourceChange.created(successor.key());
                switch (successor.kind()) {
                    case POST -> addedPosts.add(next);
                    case FRONT_PAGE -> intros.add(next);
                    default -> successorAssets.add(next);
                }
            });
        }
        posts.addAll(addedPosts);
    }

    /**
     * The introduction change of a batch: of several, the one that takes precedence; one that a
     * rival in the source outranks is refused (the front page keeps no record of which key made it).
     */
    private Optional<SourceChange> intro(List<SourceChange> intros, Set<String> removed, Outcomes outcomes) {
        Optional<SourceChange> created = intros.stream().filter(change -> !change.removed()).findFirst();
        if (created.isEmpty()) {
            intros.stream().skip(1).forEach(change -> outcomes.done(change.key(), Action.DELETED,
                    Optional.of("index.html")));
            return intros.stream().findFirst();
        }
        intros.stream().filter(SourceChange::removed)
                .forEach(change -> outcomes.done(change.key(), Action.DELETED, Optional.of("index.html")));
        SourceKey key = SourceKey.of(created.get().key());
        Optional<SourceKey> better = rivals.of(key).stream()
                .filter(rival -> rival.precedence(key) < 0 && !removed.contains(rival.key())).findFirst();
        if (better.isPresent()) {
            outcomes.rejected(key.key(), SourceRivals.lost(key, better.get()));
            return Optional.empty();
        }
        return created;
    }
}
