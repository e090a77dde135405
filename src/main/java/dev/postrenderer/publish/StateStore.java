package dev.postrenderer.publish;

import dev.postrenderer.site.ArchivePage;
import dev.postrenderer.site.DirectoryRef;
import dev.postrenderer.site.ListingEditor;
import dev.postrenderer.site.ListingMeta;
import dev.postrenderer.site.PostEntry;
import dev.postrenderer.site.SiteState;
import dev.postrenderer.site.PartsJson;
import dev.postrenderer.site.StateJson;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site's state in the site store, read and replaced as S3 allows: one small root object,
 * {@code _site/state.json}, replaced only by conditional writes ({@code If-Match} the ETag read,
 * {@code If-None-Match: *} when there is none), and immutable pack objects under
 * {@code _site/packs/} holding the posts of pages and the parts of directories.
 *
 * <p>DESIGN. A commit is one conditional write of the root, however many parts changed: changed
 * parts live in the root itself ("inline") until the root grows past {@value #SPILL_BYTES} bytes,
 * and then all of them but the front page's posts are written into one new pack first (a second
 * request, and the only other one). Parts are read with ranged GETs, adjacent ones together. The
 * root counts the refs into each pack; a pack no ref points to is deleted an hour later, so that
 * an invocation still reading an older root finds it. Thread-safe.
 */
public final class StateStore {

    /** The root of the state. */
    public static final String ROOT = "_site/state.json";
    /** Where packs live. */
    public static final String PACKS = "_site/packs/";
    /** The root's size beyond which its inline parts are written to a pack. */
    static final int SPILL_BYTES = 80 * 1024;
    /** How long a pack nothing refers to is kept before it is deleted. */
    static final long GRACE_MILLIS = 60 * 60 * 1000L;
    /** Gaps between parts smaller than this are read along with them, to make one request of two. */
    private static final int COALESCE_GAP = 32 * 1024;

    private final ObjectStore site;
    private final Clock clock;
    /** Parts of packs read so far: immutable, so they serve every later snapshot too. */
    private final Map<String, Object> packed = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                    return size() > 4096;
                }
            });

    public StateStore(ObjectStore site, Clock clock) {
        this.site = Objects.requireNonNull(site, "site == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * The state as read, with the entity tag a replacement must match, whether the bucket's entity
     * tags are the MD5s of the bytes (learned from the root's), and the parts read from it so far.
     */
    public static final class Snapshot {
        private final SiteState state;
        private final Optional<String> etag;
        private final boolean md5Etags;
        private final Map<String, Object> parts = new ConcurrentHashMap<>();

        Snapshot(SiteState state, Optional<String> etag, boolean md5Etags) {
            this.state = Objects.requireNonNull(state, "state == null");
            this.etag = Objects.requireNonNull(etag, "etag == null");
            this.md5Etags = md5Etags;
        }

        /**
         * True if the bucket gave the root the MD5 of its bytes as its entity tag (S3-managed
         * encryption), so that the entity tags of other objects can be told from their bytes;
         * false under SSE-KMS. Assumed for a site with no state yet; its first commit tells.
         */
        public boolean md5Etags() {
            return md5Etags;
        }

        public SiteState state() {
            return state;
        }

        public Optional<String> etag() {
            return etag;
        }
    }

    /**
     * The current state; an empty one if there is none yet. A read whose bytes do not match the
     * content hash recorded with them was torn by a concurrent write (S3 never serves one; an
     * S3-compatible server may), and is read again.
     */
    public Snapshot read() {
        RuntimeException problem = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            Optional<StoredObject> object = site.get(ROOT);
            if (object.isEmpty()) {
                return new Snapshot(SiteState.EMPTY, Optional.empty(), true);
            }
            ObjectInfo info = object.get().info();
            byte[] content = object.get().content();
            if (info.sha256().isEmpty() || info.holds(content)) {
                try {
                    return new Snapshot(StateJson.readState(content), info.etag(),
                            info.etag().filter(ETags.of(content)::equals).isPresent());
                } catch (IllegalArgumentException e) {
                    problem = e;
                }
            }
            Backoff.pause(attempt, ROOT);
        }
        throw new StoreException(ROOT, "the state cannot be read intact: "
                + (problem == null ? "its bytes do not match their recorded hash" : problem.getMessage()), problem);
    }

    /** Starts the changes of one commit attempt on a snapshot. */
    public Transaction begin(Snapshot base) {
        return new Transaction(base);
    }

    /**
     * The parts one commit attempt reads and adds: reads come from the snapshot (and are kept
     * there for a retry on the same snapshot), additions become inline parts of the next root.
     */
    public final class Transaction implements ListingEditor.Parts {
        private final Snapshot base;
        private final Map<Integer, byte[]> added = new LinkedHashMap<>();
        private final Map<String, Object> addedParts = new HashMap<>();
        private final List<String> released = new ArrayList<>();
        private final List<String> retained = new ArrayList<>();
        private int nextId;

        private Transaction(Snapshot base) {
            this.base = base;
            this.nextId = base.state.storage().nextId();
        }

        public Snapshot base() {
            return base;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<PostEntry> entries(String ref) {
            Object known = addedParts.get(ref);
            if (known != null) {
                return (List<PostEntry>) known;
            }
            return (List<PostEntry>) part(ref, PartsJson::readEntries);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<ArchivePage> directory(String ref) {
            Object known = addedParts.get(ref);
            if (known != null) {
                return (List<ArchivePage>) known;
            }
            return (List<ArchivePage>) part(ref, PartsJson::readDirectory);
        }

        @Override
        public String storeEntries(List<PostEntry> entries) {
            return add(PartsJson.writeEntries(entries), List.copyOf(entries));
        }

        @Override
        public String storeDirectory(List<ArchivePage> pages) {
            return add(PartsJson.writeDirectory(pages), List.copyOf(pages));
        }

        /** Reads the parts behind these refs with as few requests as adjacency allows. */
        public void prefetch(Collection<String> refs) {
            Map<String, List<long[]>> byPack = new TreeMap<>();
            for (String ref : refs) {
                if (ref.startsWith("p") && !packed.containsKey(ref) && !addedParts.containsKey(ref)) {
                    PackRef pack = PackRef.parse(ref);
                    byPack.computeIfAbsent(pack.packId(), id -> new ArrayList<>())
                            .add(new long[] {pack.offset(), pack.length()});
                }
            }
            byPack.forEach((packId, ranges) -> {
                ranges.sort((a, b) -> Long.compare(a[0], b[0]));
                int i = 0;
                while (i < ranges.size()) {
                    long start = ranges.get(i)[0];
                    long end = start + ranges.get(i)[1];
                    int j = i + 1;
                    while (j < ranges.size() && ranges.get(j)[0] - end <= COALESCE_GAP) {
                        end = Math.max(end, ranges.get(j)[0] + ranges.get(j)[1]);
                        j++;
                    }
                    byte[] bytes = range(packId, start, (int) (end - start));
                    for (int k = i; k < j; k++) {
                        long[] range = ranges.get(k);
                        String ref = new PackRef(packId, range[0], (int) range[1]).toString();
                        base.parts.putIfAbsent(ref + "#raw", java.util.Arrays.copyOfRange(bytes,
                                (int) (range[0] - start), (int) (range[0] - start + range[1])));
                    }
                    i = j;
                }
            });
        }

        /** Refs the new state no longer uses, and refs its changed containers use. */
        public void account(Collection<String> releasedRefs, Collection<String> retainedRefs) {
            released.addAll(releasedRefs);
            retained.addAll(retainedRefs);
        }

        private Object part(String ref, java.util.function.Function<byte[], Object> parse) {
            if (ref.startsWith("p")) {
                Object known = packed.get(ref);
                if (known == null) {
                    known = parse.apply(bytes(ref));
                    packed.put(ref, known);
                }
                return known;
            }
            return base.parts.computeIfAbsent(ref, r -> parse.apply(bytes(r)));
        }

        private String add(byte[] body, Object parsed) {
            int id = nextId++;
            added.put(id, body);
            String ref = "i" + id;
            addedParts.put(ref, parsed);
            return ref;
        }

        private byte[] bytes(String ref) {
            if (ref.startsWith("i")) {
                byte[] inline = base.state.storage().inline().get(Integer.parseInt(ref.substring(1)));
                if (inline == null) {
                    throw new StoreException(ROOT, "the state refers to a missing inline part " + ref, null);
                }
                return inline;
            }
            Object raw = base.parts.remove(ref + "#raw");
            if (raw != null) {
                return (byte[]) raw;
            }
            PackRef pack = PackRef.parse(ref);
            return range(pack.packId(), pack.offset(), pack.length());
        }
    }

    /**
     * Commits a new state built on a transaction's snapshot: its inline parts are the snapshot's
     * plus the transaction's, less those nothing refers to; they spill into a new pack when the
     * root would grow too large; refs into packs are counted, and packs nothing refers to any more
     * are deleted after {@link #GRACE_MILLIS}.
     *
     * @param next the new state, its {@link SiteState.Storage} ignored
     * @return the snapshot written, or empty if another writer committed first
     */
    public Optional<Snapshot> commit(Transaction tx, SiteState next) {
        SiteState base = tx.base.state;
        Map<String, Integer> live = new LinkedHashMap<>();
        base.storage().packs().forEach(pack -> live.put(pack.key(), pack.live()));
        count(live, tx.released, -1);
        count(live, tx.retained, +1);

        Map<Integer, byte[]> inline = new TreeMap<>(base.storage().inline());
        inline.putAll(tx.added);
        SiteState candidate = next.toBuilder().version(base.version() + 1)
                .storage(new SiteState.Storage(List.of(), List.of(), reachable(next, inline, tx), tx.nextId)).build();

        Optional<String> packKey = Optional.empty();
        if (StateJson.writeState(candidate).length > SPILL_BYTES) {
            PackWriter.Spill spill = new PackWriter(site, packed).spill(candidate, tx);
            candidate = spill.state();
            packKey = Optional.of(spill.key());
            live.put(spill.key(), spill.refs());
        }

        long now = clock.millis();
        List<SiteState.Pack> packs = new ArrayList<>();
        List<SiteState.Garbage> garbage = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (SiteState.Garbage old : base.storage().garbage()) {
            if (now - old.since() >= GRACE_MILLIS) {
                expired.add(old.key());
            } else {
                garbage.add(old);
            }
        }
        live.forEach((key, count) -> {
            if (count > 0) {
                packs.add(new SiteState.Pack(key, count));
            } else {
                garbage.add(new SiteState.Garbage(key, now));
            }
        });
        SiteState.Storage storage = candidate.storage();
        SiteState written = candidate.toBuilder().storage(new SiteState.Storage(packs, garbage, storage.inline(),
                storage.nextId())).build();
        if (!expired.isEmpty()) {
            // nothing has referred to these for an hour: no invocation can still be reading them
            site.deleteAll(expired);
        }
        byte[] bytes = StateJson.writeState(written);
        Precondition precondition = tx.base.etag.map(Precondition::matching).orElse(Precondition.ABSENT);
        Optional<String> etag = site.put(ROOT, bytes, new PutOptions("application/json", Optional.of("no-store"),
                Map.of()), precondition);
        if (etag.isPresent()) {
            return Optional.of(new Snapshot(written, etag, etag.get().equals(ETags.of(bytes))));
        }
        // another writer was first: the pack this attempt wrote will never be referred to
        packKey.ifPresent(site::delete);
        return Optional.empty();
    }

    /** The inline parts the new state still refers to. */
    private static Map<Integer, byte[]> reachable(SiteState next, Map<Integer, byte[]> inline, Transaction tx) {
        Set<Integer> used = new HashSet<>();
        for (ListingMeta meta : next.listings().values()) {
            mark(meta.head(), used);
            for (DirectoryRef part : meta.directory()) {
                if (mark(part.ref(), used)) {
                    for (ArchivePage page : tx.directory(part.ref())) {
                        mark(page.ref(), used);
                    }
                }
            }
        }
        Map<Integer, byte[]> kept = new TreeMap<>();
        used.forEach(id -> {
            byte[] body = inline.get(id);
            if (body == null) {
                throw new IllegalStateException("the state refers to a missing inline part i" + id);
            }
            kept.put(id, body);
        });
        return kept;
    }

    private static boolean mark(String ref, Set<Integer> used) {
        if (ref.startsWith("i")) {
            used.add(Integer.parseInt(ref.substring(1)));
            return true;
        }
        return false;
    }

    private static void count(Map<String, Integer> live, List<String> refs, int delta) {
        for (String ref : refs) {
            if (ref.startsWith("p")) {
                live.merge(PACKS + PackRef.parse(ref).packId() + ".json", delta, Integer::sum);
            }
        }
    }

    private byte[] range(String packId, long offset, int length) {
        String key = PACKS + packId + ".json";
        return site.getRange(key, offset, length).orElseThrow(() ->
                new StoreException(key, "a pack the state refers to is gone; the state has moved on", null));
    }

    /** A part inside a pack: {@code p<packId>:<offset>+<length>}. */
    record PackRef(String packId, long offset, int length) {

        static PackRef parse(String ref) {
            int colon = ref.lastIndexOf(':');
            int plus = ref.lastIndexOf('+');
            if (!ref.startsWith("p") || colon < 0 || plus < colon) {
                throw new IllegalArgumentException("not a pack ref: " + ref);
            }
            return new PackRef(ref.substring(1, colon), Long.parseLong(ref.substring(colon + 1, plus)),
                    Integer.parseInt(ref.substring(plus + 1)));
        }

        @Override
        public String toString() {
            return "p" + packId + ":" + offset + "+" + length;
        }
    }

}
