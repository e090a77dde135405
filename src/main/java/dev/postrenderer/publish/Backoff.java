package dev.postrenderer.publish;

import java.security.SecureRandom;

/**
 * Waits between retries of a lost conditional write: full jitter under an exponentially growing cap,
 * so writers spread out. The jitter is drawn from a generator made for the call: environments
 * restored from one SnapStart snapshot share the state of any generator made before it (a seeded
 * {@code Random}, {@code ThreadLocalRandom}'s seeder), and would wait in step.
 */
final class Backoff {

    private static final long BASE_MILLIS = 10;
    private static final long CAP_MILLIS = 1_000;

    private Backoff() {
    }

    /** Waits before retry number {@code attempt} (from 1) of a write to {@code key}. */
    static void pause(int attempt, String key) {
        long cap = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 7));
        try {
            Thread.sleep(new SecureRandom().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(key, "interrupted while waiting to retry", e);
        }
    }
}
