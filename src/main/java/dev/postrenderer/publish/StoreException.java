package dev.postrenderer.publish;

/**
 * Storage failed in a way that may pass: a network error, throttling, a timeout, a full disk.
 *
 * <p>A transient failure: the Lambda handler lets it propagate so the event is retried, and
 * in the end goes to the on-failure destination.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public StoreException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
    }

    /** The key being read or written when the store failed. */
    public String key() {
        return key;
    }
}
