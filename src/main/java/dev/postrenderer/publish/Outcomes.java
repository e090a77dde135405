package dev.postrenderer.publish;

import dev.postrenderer.post.InvalidPostException;
import dev.postrenderer.publish.PublishResult.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of each key of one batch, as the stages find out: done (with what action), rejected
 * for good, or failed in a way worth retrying; and the warnings an operator should see. A key has
 * one outcome: a rejection or a failure replaces a done, and a done never replaces either. The
 * batch's {@link Deadline} lives here too, since every stage asks it. Thread-safe: the stages record
 * from many threads at once.
 */
final class Outcomes {

    private final Deadline deadline;
    private final Map<String, PublishResult> done = new LinkedHashMap<>();
    private final Map<String, String> rejected = new LinkedHashMap<>();
    private final Map<String, RuntimeException> failed = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    Outcomes(Deadline deadline) {
        this.deadline = Objects.requireNonNull(deadline, "deadline == null");
    }

    Deadline deadline() {
        return deadline;
    }

    /** Stops a key's work before it starts when the batch has no time left to finish it. */
    void checkTime(String key) {
        if (!deadline.allowsWork()) {
            throw new UnfinishedException(key, "handled");
        }
    }

    synchronized void done(String key, Action action, Optional<String> siteKey) {
        if (!rejected.containsKey(key) && !failed.containsKey(key)) {
            done.put(key, new PublishResult(key, action, siteKey));
        }
    }

    synchronized void rejected(String key, String problem) {
        done.remove(key);
        rejected.put(key, problem);
    }

    synchronized void failed(String key, RuntimeException error) {
        done.remove(key);
        failed.put(key, error);
    }

    /** A key outside the batch whose page a key of the batch took over, or that a batch-wide problem refuses. */
    synchronized void rejectedUnlessDone(String key, String problem) {
        if (!done.containsKey(key) && !failed.containsKey(key)) {
            rejected.putIfAbsent(key, problem);
        }
    }

    /** A key the batch did not finish because something all of its keys share failed (the commit, say). */
    synchronized void failedUnlessDone(String key, RuntimeException error) {
        if (!rejected.containsKey(key)) {
            done.remove(key);
            failed.put(key, error);
        }
    }

    /** True if the key has been done, and neither rejected nor failed. */
    synchronized boolean isDone(String key) {
        return done.containsKey(key);
    }

    /** True if the key failed in a way worth retrying. */
    synchronized boolean isFailed(String key) {
        return failed.containsKey(key);
    }

    synchronized void warn(String warning) {
        warnings.add(warning);
    }

    /** Runs one key's work, recording a rejection or a failure if it throws one. */
    void guard(String key, Runnable work) {
        try {
            work.run();
        } catch (InvalidPostException e) {
            rejected(key, e.problem());
        } catch (RuntimeException e) {
            failed(key, e);
        }
    }

    synchronized BatchResult result() {
        return new BatchResult(new ArrayList<>(done.values()),
                rejected.entrySet().stream().map(e -> new BatchResult.Rejection(e.getKey(), e.getValue())).toList(),
                failed.entrySet().stream().map(e -> new BatchResult.Failure(e.getKey(), e.getValue())).toList(),
                warnings);
    }
}
