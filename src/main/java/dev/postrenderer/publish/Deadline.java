package dev.postrenderer.publish;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a batch must be over: the Lambda function's remaining time, read once when the batch
 * starts. A batch takes on new per-key work (reading, rendering, writing a post's page) only while
 * more than a reserve is left, and commits only while half of it is, so that the commit and the
 * pages around the posts fit in what remains; what it did not start is reported as unfinished and
 * retried, instead of the whole batch timing out and being delivered again. The reserve is a
 * quarter of the time the batch had, at least {@value #MIN_RESERVE_MILLIS} ms and at most
 * {@value #MAX_RESERVE_MILLIS} ms. Immutable and thread-safe.
 */
public final class Deadline {

    /** No deadline: a command-line build, or a test that does not care. */
    public static final Deadline NONE = new Deadline(System::nanoTime, Long.MAX_VALUE, 0);

    static final long MIN_RESERVE_MILLIS = 1_000;
    static final long MAX_RESERVE_MILLIS = 60_000;

    private final LongSupplier nanoTime;
    private final long endNanos;
    private final long reserveNanos;

    private Deadline(LongSupplier nanoTime, long endNanos, long reserveNanos) {
        this.nanoTime = nanoTime;
        this.endNanos = endNanos;
        this.reserveNanos = reserveNanos;
    }

    /** A deadline this far from now, such as {@code Context.getRemainingTimeInMillis()}. */
    public static Deadline in(Duration remaining) {
        return in(remaining, System::nanoTime);
    }

    static Deadline in(Duration remaining, LongSupplier nanoTime) {
        long reserve = Math.max(MIN_RESERVE_MILLIS, Math.min(MAX_RESERVE_MILLIS, remaining.toMillis() / 4));
        return new Deadline(nanoTime, nanoTime.getAsLong() + remaining.toNanos(), Duration.ofMillis(reserve).toNanos());
    }

    /** True if there is time to start the work of one more key, and still commit it. */
    public boolean allowsWork() {
        return endNanos == Long.MAX_VALUE || left() > reserveNanos;
    }

    /** True if there is time to commit the state and write the pages around the posts. */
    public boolean allowsCommit() {
        return endNanos == Long.MAX_VALUE || left() > reserveNanos / 2;
    }

    /** How long a batch may wait for its turn to commit, at most {@code limit}, leaving time to commit after it. */
    public Duration waitAtMost(Duration limit) {
        if (endNanos == Long.MAX_VALUE) {
            return limit;
        }
        return Duration.ofNanos(Math.max(0, Math.min(limit.toNanos(), left() - reserveNanos / 2)));
    }

    private long left() {
        return endNanos - nanoTime.getAsLong();
    }
}
