package dev.postrenderer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batch's thread pool runs work in parallel, and work that itself runs work in parallel still finishes. */
class ParallelTest {

    @Test
    void resultsComeInItemOrder() {
        assertThat(Parallel.map(List.of(3, 1, 2), n -> n * 10)).containsExactly(30, 10, 20);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void workOnEveryThreadThatMapsAgainFinishes() {
        // more outer items than the pool has threads, each mapping again: as a batch of images writes their variants
        List<Integer> outer = IntStream.range(0, 40).boxed().toList();

        List<Integer> sums = Parallel.map(outer, n -> Parallel.map(List.of(1, 2, 3), m -> {
            pause();
            return n * m;
        }).stream().mapToInt(Integer::intValue).sum());

        assertThat(sums).containsExactlyElementsOf(outer.stream().map(n -> 6 * n).toList());
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
