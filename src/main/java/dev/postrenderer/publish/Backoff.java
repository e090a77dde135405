package dev.postrenderer.publish;

import java.util.concurrent.ThreadLocalRandom;

/** Waits between retries of a lost conditional write: full jitter under an exponentially growing cap, so writers spread out. */
final class Backoff {

    private static final long BASE_MILLIS = 10;
    private static final long CAP_MILLIS = 1_000;

    private Backoff() {
    }

    /** Waits before retry number {@code attempt} (from 1) of a write to {@code key}. */
    static void pause(int attempt, String key) {
        long cap = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(key, "interrupted while waiting to retry", e);
        }
    }
}
