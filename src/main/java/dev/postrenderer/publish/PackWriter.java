package dev.postrenderer.publish;

import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.DirectoryRef;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.PartsJson;
import dev.postrenderer.site.StateJson;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes a new pack: when the state's root grows past its limit, every inline part but the front
 * page's posts moves into one immutable object under {@code _site/packs/}, named afresh by the writer
 * and written with {@code If-None-Match: *}, so that no two writers ever share, overwrite or delete
 * one pack. The parts it writes join the store's cache of pack parts only once written.
 */
final class PackWriter {

    private final ObjectStore site;
    private final Map<String, Object> packed;

    /** @param packed the store's cache of parts read from packs, by ref */
    PackWriter(ObjectStore site, Map<String, Object> packed) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.packed = Objects.requireNonNull(packed, "packed == null");
    }

    /** A new pack holding every inline part but the front page's posts, and the state referring to it. */
    record Spill(SiteState state, String key, int refs) {
    }

    /** How many fresh names a spill tries before it gives up: a collision of random names is already unlikely. */
    private static final int PACK_NAMES = 3;

    /** Moves the state's inline parts, but the front page's posts, into a new pack, written under a fresh name. */
    Spill spill(SiteState state, StateStore.Transaction tx) {
        for (int attempt = 1; attempt <= PACK_NAMES; attempt++) {
            // unique per writer, drawn now: environments restored from one snapshot share any generator made before it
            String packId = state.version() + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Optional<Spill> spill = spill(state, tx, packId);
            if (spill.isPresent()) {
                return spill.get();
            }
        }
        throw new StoreException(StateStore.PACKS, "every new pack name tried was taken", null);
    }

    /** Writes the pack under this id, if no other writer has one there; nothing is cached before it is written. */
    private Optional<Spill> spill(SiteState state, StateStore.Transaction tx, String packId) {
        ByteArrayOutputStream pack = new ByteArrayOutputStream(StateStore.SPILL_BYTES * 2);
        Map<String, String> moved = new HashMap<>();
        Map<String, Object> parsed = new HashMap<>();
        String pinned = state.listing(SiteState.FRONT).map(ListingMeta::head).orElse("");
        // posts first, then the directory parts that refer to them
        for (ListingMeta meta : state.listings().values()) {
            if (!meta.head().equals(pinned)) {
                move(meta.head(), tx, pack, packId, moved, parsed);
            }
            for (DirectoryRef part : meta.directory()) {
                if (part.ref().startsWith("i")) {
                    for (ArchivePage page : tx.directory(part.ref())) {
                        move(page.ref(), tx, pack, packId, moved, parsed);
                    }
                }
            }
        }
        SiteState.Builder builder = state.toBuilder();
        for (Map.Entry<String, ListingMeta> listing : state.listings().entrySet()) {
            ListingMeta meta = listing.getValue();
            List<DirectoryRef> directory = new ArrayList<>();
            for (DirectoryRef part : meta.directory()) {
                if (part.ref().startsWith("i")) {
                    List<ArchivePage> pages = new ArrayList<>();
                    for (ArchivePage page : tx.directory(part.ref())) {
                        pages.add(page.withRef(moved.getOrDefault(page.ref(), page.ref())));
                    }
                    String ref = append(pack, packId, PartsJson.writeDirectory(pages));
                    moved.put(part.ref(), ref);
                    parsed.put(ref, List.copyOf(pages));
                    directory.add(part.withRef(ref));
                } else {
                    directory.add(part);
                }
            }
            builder.listing(listing.getKey(), Optional.of(new ListingMeta(meta.name(), meta.posts(),
                    moved.getOrDefault(meta.head(), meta.head()), directory)));
        }
        String key = StateStore.PACKS + packId + ".json";
        if (site.put(key, pack.toByteArray(), new PutOptions("application/json", Optional.of("no-store"), Map.of()),
                Precondition.ABSENT).isEmpty()) {
            return Optional.empty(); // another writer's pack: never used, never deleted by this one
        }
        packed.putAll(parsed);
        Map<Integer, byte[]> inline = new TreeMap<>();
        if (pinned.startsWith("i")) {
            int id = Integer.parseInt(pinned.substring(1));
            inline.put(id, state.storage().inline().get(id));
        }
        SiteState spilled = builder.storage(new SiteState.Storage(List.of(), List.of(), inline,
                state.storage().nextId())).build();
        return Optional.of(new Spill(spilled, key, moved.size()));
    }

    private static void move(String ref, StateStore.Transaction tx, ByteArrayOutputStream pack, String packId,
                             Map<String, String> moved, Map<String, Object> parsed) {
        if (!ref.startsWith("i") || moved.containsKey(ref)) {
            return;
        }
        List<PostEntry> entries = tx.entries(ref);
        String packedRef = append(pack, packId, PartsJson.writeEntries(entries));
        parsed.put(packedRef, entries);
        moved.put(ref, packedRef);
    }

    private static String append(ByteArrayOutputStream pack, String packId, byte[] body) {
        long offset = pack.size();
        pack.writeBytes(body);
        pack.write('\n');
        return new StateStore.PackRef(packId, offset, body.length).toString();
    }
}
