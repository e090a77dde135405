package dev.postrenderer.testing;

import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.StateStore;
import dev.postrenderer.site.Listings;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The site's state as a test wants to see it: every post a listing holds, newest first. */
public final class PublishedState {

    private PublishedState() {
    }

    /** The root of the state. */
    public static SiteState root(ObjectStore site) {
        return new StateStore(site, Clock.systemUTC()).read().state();
    }

    /** Every post of a listing, newest first: its front page's, then every archive page's. */
    public static List<PostEntry> posts(ObjectStore site, String listing) {
        StateStore store = new StateStore(site, Clock.systemUTC());
        StateStore.Snapshot snapshot = store.read();
        Optional<ListingMeta> meta = snapshot.state().listing(listing);
        return new ArrayList<>(Listings.newest(meta, Integer.MAX_VALUE, store.begin(snapshot)));
    }

    /** Every published post, newest first. */
    public static List<PostEntry> posts(ObjectStore site) {
        return posts(site, SiteState.FRONT);
    }
}
