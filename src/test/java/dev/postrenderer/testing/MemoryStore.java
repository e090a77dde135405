package dev.postrenderer.testing;

import dev.postrenderer.publish.ContentHash;
import dev.postrenderer.publish.ETags;
import dev.postrenderer.publish.ObjectInfo;
import dev.postrenderer.publish.ObjectStore;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.StoredObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bucket in memory with S3's semantics where the publisher relies on them: conditional writes and
 * deletes ({@code If-Match}, {@code If-None-Match: *}) checked and applied in one step, objects
 * replaced whole, user metadata kept (with the content hash every write records), listings in key
 * order. Entity tags are the MD5 of the bytes, as S3 gives them under S3-managed encryption, or
 * opaque, as under SSE-KMS. Every request is counted, by kind, with the conditions that failed.
 * Thread-safe.
 */
public final class MemoryStore implements ObjectStore {

    /** How the store makes entity tags. */
    public enum Etags {
        /** The MD5 of the bytes: S3 with SSE-S3 (its default) or no encryption. */
        MD5,
        /** Unrelated to the bytes, different for every write: S3 with SSE-KMS. */
        OPAQUE
    }

    private record Entry(byte[] content, String etag, PutOptions options) {
    }

    private final SortedMap<String, Entry> objects = new TreeMap<>();
    private final Etags etags;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    public MemoryStore(Etags etags) {
        this.etags = Objects.requireNonNull(etags, "etags == null");
    }

    /** A bucket whose entity tags are MD5s, as most are. */
    public MemoryStore() {
        this(Etags.MD5);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        count("GET");
        synchronized (objects) {
            return Optional.ofNullable(objects.get(key)).map(entry -> new StoredObject(info(key, entry),
                    entry.content().clone()));
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, int length) {
        count("GET");
        synchronized (objects) {
            return Optional.ofNullable(objects.get(key)).map(entry -> Arrays.copyOfRange(entry.content(), (int) offset,
                    (int) offset + length));
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        count("HEAD");
        synchronized (objects) {
            return Optional.ofNullable(objects.get(key)).map(entry -> info(key, entry));
        }
    }

    @Override
    public void put(String key, byte[] content, PutOptions options) {
        count("PUT");
        synchronized (objects) {
            objects.put(key, new Entry(content.clone(), etag(content), options));
        }
    }

    @Override
    public Optional<String> put(String key, byte[] content, PutOptions options, Precondition precondition) {
        count("PUT");
        synchronized (objects) {
            if (!holds(objects.get(key), precondition)) {
                count("412");
                return Optional.empty();
            }
            Entry entry = new Entry(content.clone(), etag(content), options);
            objects.put(key, entry);
            return Optional.of(entry.etag());
        }
    }

    @Override
    public void delete(String key) {
        count("DELETE");
        synchronized (objects) {
            objects.remove(key);
        }
    }

    @Override
    public boolean delete(String key, String etag) {
        count("DELETE");
        synchronized (objects) {
            Entry entry = objects.get(key);
            if (entry != null && !entry.etag().equals(etag)) {
                count("412");
                return false;
            }
            objects.remove(key);
            return true;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        count("LIST");
        synchronized (objects) {
            List<ObjectInfo> listed = new ArrayList<>();
            objects.tailMap(prefix).forEach((key, entry) -> {
                if (key.startsWith(prefix)) {
                    // a listing carries no user metadata, as S3's does not
                    listed.add(new ObjectInfo(key, entry.content().length, Optional.of(entry.etag()), Map.of()));
                }
            });
            return listed;
        }
    }

    @Override
    public boolean copyTo(String key, ObjectStore target, PutOptions options) {
        Optional<StoredObject> object = get(key);
        object.ifPresent(found -> target.put(key, found.content(), options));
        return object.isPresent();
    }

    /** Puts an object as an author's upload would, without counting it. */
    public void upload(String key, byte[] content) {
        synchronized (objects) {
            objects.put(key, new Entry(content.clone(), etag(content),
                    new PutOptions("application/octet-stream", Optional.empty(), Map.of())));
        }
    }

    /** Puts the objects whose keys pass into another store, each with the options it was written with, without counting. */
    public void copyInto(ObjectStore target, java.util.function.Predicate<String> keys) {
        SortedMap<String, Entry> copy;
        synchronized (objects) {
            copy = new TreeMap<>(objects);
        }
        copy.forEach((key, entry) -> {
            if (keys.test(key)) {
                target.put(key, entry.content(), entry.options());
            }
        });
    }

    /** Every object's bytes, by key. */
    public SortedMap<String, byte[]> contents() {
        synchronized (objects) {
            SortedMap<String, byte[]> contents = new TreeMap<>();
            objects.forEach((key, entry) -> contents.put(key, entry.content().clone()));
            return contents;
        }
    }

    /** How many requests of a kind ({@code GET}, {@code PUT} …; {@code 412} counts failed conditions). */
    public int requests(String kind) {
        return requests.getOrDefault(kind, new AtomicInteger()).get();
    }

    /** Every request so far, by kind. */
    public Map<String, Integer> requests() {
        Map<String, Integer> counts = new HashMap<>();
        requests.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Forgets the counts. */
    public void resetCounts() {
        requests.clear();
    }

    private void count(String kind) {
        requests.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static boolean holds(Entry current, Precondition precondition) {
        if (precondition instanceof Precondition.Matching matching) {
            return current != null && current.etag().equals(matching.etag());
        }
        return current == null;
    }

    private String etag(byte[] content) {
        return etags == Etags.MD5 ? ETags.of(content) : UUID.randomUUID().toString().replace("-", "");
    }

    private static ObjectInfo info(String key, Entry entry) {
        Map<String, String> metadata = new HashMap<>(entry.options().metadata());
        metadata.put(ContentHash.METADATA, ContentHash.of(entry.content()));
        return new ObjectInfo(key, entry.content().length, Optional.of(entry.etag()), metadata);
    }
}
