package dev.postrenderer.publish;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Publisher#apply} did with a batch, per source key: done (whatever the action),
 * rejected for good (a post that can never be published as it is), or failed in a way worth
 * retrying (storage errors, timeouts); and what an operator should know that is not one key's
 * outcome (a feed that could not be read back, say).
 */
public record BatchResult(List<PublishResult> done, List<Rejection> rejected, List<Failure> failed,
                          List<String> warnings) {

    public BatchResult {
        done = List.copyOf(done);
        rejected = List.copyOf(rejected);
        failed = List.copyOf(failed);
        warnings = List.copyOf(warnings);
    }

    /** A key that can never be published as it is, and why, in words an author can act on. */
    public record Rejection(String key, String problem) {
        public Rejection {
            Objects.requireNonNull(key, "key == null");
            Objects.requireNonNull(problem, "problem == null");
        }
    }

    /** A key whose change failed in a way that may pass. */
    public record Failure(String key, RuntimeException error) {
        public Failure {
            Objects.requireNonNull(key, "key == null");
            Objects.requireNonNull(error, "error == null");
        }
    }
}
