package dev.postrenderer.publish;

import java.security.SecureRandom;

/**
 * Waits between retries of a lost conditional write: full jitter under an exponentially growing cap,
 * so writers spread out. The jitter comes from {@link SecureRandom}, which AWS lists among the
 * CSPRNGs that stay unique in environments restored from one SnapStart snapshot; a seeded
 * {@code Random} or {@code ThreadLocalRandom}'s seeder would be shared by all of them, and they would
 * wait in step.
 */
final class Backoff {

    private static final long BASE_MILLIS = 10;
    private static final long CAP_MILLIS = 1_000;
    /** Snap-resilient: the Lambda runtime's SecureRandom draws from the restored environment's entropy. */
    private static final SecureRandom JITTER = new SecureRandom();

    private Backoff() {
    }

    /** Waits before retry number {@code attempt} (from 1) of a write to {@code key}. */
    static void pause(int attempt, String key) {
        long cap = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 7));
        try {
            Thread.sleep(JITTER.nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(key, "interrupted while waiting to retry", e);
        }
    }
}
