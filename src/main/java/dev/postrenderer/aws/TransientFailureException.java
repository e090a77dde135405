package dev.postrenderer.aws;

import java.util.List;

/**
 * Some records of an event failed in a way that may pass (S3 errors, timeouts). Thrown after
 * every record was tried, so that Lambda retries the event and, when retries run out, sends it
 * to the on-failure destination; records that did succeed are recognised as duplicates then.
 */
public final class TransientFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransientFailureException(List<String> keys, Throwable firstCause) {
        super(keys.size() + " record(s) failed and will be retried: " + String.join(", ", keys), firstCause);
    }
}
