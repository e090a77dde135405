package dev.postrenderer.publish;

/**
 * A change a batch did not get to before its {@link Deadline}: nothing is wrong with it, and it is
 * retried (the SQS message is reported as failed, so the queue delivers it again).
 */
public final class UnfinishedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnfinishedException(String key, String stage) {
        super(key + ": not " + stage + " before the function's deadline; it is retried", null, false, false);
    }
}
