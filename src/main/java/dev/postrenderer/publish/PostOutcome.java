package dev.postrenderer.publish;

import dev.postrenderer.post.Author;
import dev.postrenderer.post.SourceKey;
import dev.postrenderer.publish.PublishResult.Action;
import dev.postrenderer.site.Position;
import dev.postrenderer.site.PostEntry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the post stage did with one post, and what the commit must do for it: list it (its page is
 * written), take it off the site (the state first, then its page), or nothing.
 */
sealed interface PostOutcome {

    SourceChange change();

    SourceKey key();

    Action action();

    /**
     * Where the post is listed now, if it is: its entry, when the front page's posts hold it, or the
     * position its page's metadata gives, where the commit looks it up.
     */
    record Previous(Optional<PostEntry> known, Optional<Position> at) {

        static final Previous NONE = new Previous(Optional.empty(), Optional.empty());

        public Previous {
            Objects.requireNonNull(known, "known == null");
            Objects.requireNonNull(at, "at == null");
        }

        static Previous known(Optional<PostEntry> entry) {
            return new Previous(entry, Optional.empty());
        }
    }

    /** A post's body as the feed shows it: with absolute URLs, and its author. */
    record FeedBody(String content, Optional<Author> author) {
        public FeedBody {
            Objects.requireNonNull(content, "content == null");
            Objects.requireNonNull(author, "author == null");
        }
    }

    /**
     * A post whose page is written (this batch wrote it, or an earlier attempt did and may not have
     * committed), to list with its new entry.
     *
     * @param body      the feed's body, if the site has a feed
     * @param displaced other keys whose page this one takes over, with where they are listed if known
     * @param fence     true if this batch replaced a page, which leaves a fence in the state
     * @param written   the entity tag of the page this batch wrote
     */
    record Listed(SourceChange change, SourceKey key, PostEntry entry, Optional<FeedBody> body, Previous previous,
                  Map<String, Optional<Position>> displaced, boolean fence, Optional<String> written)
            implements PostOutcome {
        public Listed {
            Objects.requireNonNull(change, "change == null");
            Objects.requireNonNull(entry, "entry == null");
            Objects.requireNonNull(body, "body == null");
            Objects.requireNonNull(previous, "previous == null");
            displaced = Map.copyOf(displaced);
            Objects.requireNonNull(written, "written == null");
        }

        @Override
        public Action action() {
            return Action.RENDERED;
        }
    }

    /**
     * A post to take off the site (deleted, a draft, its source gone): the commit unlists it and
     * leaves a fence, then its page is deleted {@code If-Match} the entity tag it had.
     */
    record Unlisted(SourceChange change, SourceKey key, Action action, Previous previous,
                    Optional<String> deleteEtag) implements PostOutcome {
        public Unlisted {
            Objects.requireNonNull(change, "change == null");
            Objects.requireNonNull(action, "action == null");
            Objects.requireNonNull(previous, "previous == null");
            Objects.requireNonNull(deleteEtag, "deleteEtag == null");
        }
    }

    /**
     * Nothing for the state to do: the change is stale or superseded, the source is back, the page is
     * another key's, or the page already shows this version ({@link Action#UNCHANGED}, with the entry
     * the state has, whose listings a retry checks).
     */
    record Untouched(SourceChange change, SourceKey key, Action action, Optional<PostEntry> entry)
            implements PostOutcome {
        public Untouched {
            Objects.requireNonNull(change, "change == null");
            Objects.requireNonNull(action, "action == null");
            Objects.requireNonNull(entry, "entry == null");
        }
    }
}
