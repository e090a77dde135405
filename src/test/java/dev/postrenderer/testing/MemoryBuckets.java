package dev.postrenderer.testing;

import dev.postrenderer.publish.ObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Buckets in memory, by name, each a {@link MemoryStore}: what a handler under test reads and writes. Thread-safe. */
public final class MemoryBuckets implements Function<String, ObjectStore> {

    private final Map<String, MemoryStore> buckets = new ConcurrentHashMap<>();
    private final MemoryStore.Etags etags;

    public MemoryBuckets(MemoryStore.Etags etags) {
        this.etags = etags;
    }

    public MemoryBuckets() {
        this(MemoryStore.Etags.MD5);
    }

    /** The bucket of this name, made empty on first use. */
    public MemoryStore bucket(String name) {
        return buckets.computeIfAbsent(name, bucket -> new MemoryStore(etags));
    }

    @Override
    public ObjectStore apply(String name) {
        return bucket(name);
    }
}
