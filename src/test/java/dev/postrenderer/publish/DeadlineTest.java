package dev.postrenderer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private Deadline in(Duration remaining) {
        return Deadline.in(remaining, now::get);
    }

    private void pass(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void workStopsWhenLessThanAQuarterOfTheTimeIsLeft() {
        Deadline deadline = in(Duration.ofSeconds(120));
        pass(Duration.ofSeconds(89));
        assertThat(deadline.allowsWork()).isTrue();
        pass(Duration.ofSeconds(2));
        assertThat(deadline.allowsWork()).isFalse();
        assertThat(deadline.allowsCommit()).as("half the reserve is left for the commit").isTrue();
        pass(Duration.ofSeconds(14));
        assertThat(deadline.allowsCommit()).isFalse();
    }

    @Test
    void theReserveIsAtLeastASecondAndAtMostAMinute() {
        Deadline short_ = in(Duration.ofSeconds(3));
        pass(Duration.ofMillis(1_900));
        assertThat(short_.allowsWork()).isTrue();
        pass(Duration.ofMillis(200));
        assertThat(short_.allowsWork()).isFalse();

        Deadline long_ = in(Duration.ofSeconds(300));
        pass(Duration.ofSeconds(239));
        assertThat(long_.allowsWork()).isTrue();
        pass(Duration.ofSeconds(2));
        assertThat(long_.allowsWork()).isFalse();
    }

    @Test
    void aWaitForTheCommitLeavesTimeToCommitAfterIt() {
        Deadline deadline = in(Duration.ofSeconds(10));
        assertThat(deadline.waitAtMost(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(8_750));
        assertThat(deadline.waitAtMost(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        pass(Duration.ofSeconds(10));
        assertThat(deadline.waitAtMost(Duration.ofSeconds(60))).isZero();
    }

    @Test
    void noDeadlineAllowsEverything() {
        assertThat(Deadline.NONE.allowsWork()).isTrue();
        assertThat(Deadline.NONE.allowsCommit()).isTrue();
        assertThat(Deadline.NONE.waitAtMost(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    }
}
