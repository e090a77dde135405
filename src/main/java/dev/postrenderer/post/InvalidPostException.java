package dev.postrenderer.post;

import java.util.Objects;

/**
 * A post that can never be published as it is: bad encoding, bad front matter, too large.
 *
 * <p>This is a permanent failure: retrying the same input gives the same error, so callers
 * report it (naming {@link #key()}) and move on rather than retrying.
 */
public final class InvalidPostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    public InvalidPostException(String key, String problem) {
        this(key, problem, null);
    }

    public InvalidPostException(String key, String problem, Throwable cause) {
        super(key + ": " + problem, cause);
        this.key = Objects.requireNonNull(key, "key == null");
        this.problem = Objects.requireNonNull(problem, "problem == null");
    }

    /** The source key (or path relative to the source folder) of the post. */
    public String key() {
        return key;
    }

    /** What is wrong, in words an author can act on, without the key. */
    public String problem() {
        return problem;
    }
}
