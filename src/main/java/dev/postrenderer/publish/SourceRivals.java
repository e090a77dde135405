package dev.postrenderer.publish;

import dev.postrenderer.post.SourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The source keys that map to the same site key as another (a post and an asset, {@code x.md} and
 * {@code x/index.md} …), found by listing the few folders where they can be, and the words that
 * tell an author which one takes precedence. Thread-safe if the source store is.
 */
final class SourceRivals {

    private final ObjectStore source;

    SourceRivals(ObjectStore source) {
        this.source = Objects.requireNonNull(source, "source == null");
    }

    /** The other keys in the source that map to this key's page, the one that takes precedence first. */
    List<SourceKey> of(SourceKey key) {
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

    /** The posts in the source that take precedence over an asset for its site key. */
    List<SourceKey> postsOver(SourceKey asset) {
        if (asset.rivalPrefixes().isEmpty()) {
            return List.of();
        }
        return of(asset).stream().filter(SourceKey::isMarkdown).toList();
    }

    /** Why a key lost its site key to another. */
    static String lost(SourceKey loser, SourceKey winner) {
        return lost(loser.siteKey().orElseThrow(), winner.key(), loser.key());
    }

    /** Why {@code loser} does not publish {@code siteKey}. */
    static String lost(String siteKey, String winner, String loser) {
        return siteKey + " is published from " + winner + ", which takes precedence over " + loser
                + "; rename or remove one of them";
    }
}
