package dev.postrenderer.publish;

import java.util.List;
import java.util.Optional;

/**
 * A flat namespace of objects by key: an S3 bucket, or a folder on disk.
 *
 * <p>Writes are atomic: a reader sees the old object or the new one, never part of one.
 * Implementations throw {@link StoreException} for failures worth retrying.
 */
public interface ObjectStore {

    /** Reads an object; empty if there is none at {@code key}. */
    Optional<StoredObject> get(String key);

    /**
     * Reads at most {@code limit + 1} bytes of an object, so that a caller with a size limit
     * can tell an object over it without downloading all of it.
     */
    default Optional<StoredObject> get(String key, int limit) {
        return get(key);
    }

    /**
     * Reads {@code length} bytes of an object from {@code offset}; empty if there is no object.
     * The range must lie within the object.
     */
    default Optional<byte[]> getRange(String key, long offset, int length) {
        return get(key).map(object -> java.util.Arrays.copyOfRange(object.content(), (int) offset,
                (int) offset + length));
    }

    /** Reads what the store knows about an object without its content; empty if there is none. */
    Optional<ObjectInfo> head(String key);

    /**
     * Writes an object, replacing any at {@code key}; the store records the content's
     * {@link ContentHash} with it.
     */
    void put(String key, byte[] content, PutOptions options);

    /**
     * Writes an object if {@code precondition} holds for what is at {@code key}, atomically; the
     * store records the content's {@link ContentHash} with it.
     *
     * @return the entity tag the store gave the object written; empty if the precondition failed
     *         (someone else wrote first), and nothing was written
     */
    Optional<String> put(String key, byte[] content, PutOptions options, Precondition precondition);

    /** Deletes an object; deleting what is not there is not an error. */
    void delete(String key);

    /**
     * Deletes an object if it still has this entity tag, atomically.
     *
     * @return false if there is another object at {@code key} now; true if it was deleted or was gone
     */
    boolean delete(String key, String etag);

    /** Deletes objects; what is not there is not an error. */
    default void deleteAll(java.util.Collection<String> keys) {
        keys.forEach(this::delete);
    }

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<ObjectInfo> list(String prefix);

    /** The objects directly in a folder ({@code folder} empty or ending in {@code /}), not in its subfolders, in key order. */
    default List<ObjectInfo> listFolder(String folder) {
        return list(folder).stream().filter(object -> object.key().indexOf('/', folder.length()) < 0).toList();
    }

    /**
     * Copies an object from this store to another, byte for byte.
     *
     * @return false if there was no object at {@code key}
     */
    default boolean copyTo(String key, ObjectStore target, PutOptions options) {
        Optional<StoredObject> object = get(key);
        object.ifPresent(found -> target.put(key, found.content(), options));
        return object.isPresent();
    }
}
