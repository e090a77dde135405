package dev.postrenderer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SqsBatchingTest {

    private static double[] steady(int messages, double perSecond) {
        return IntStream.range(0, messages).mapToDouble(i -> i / perSecond).toArray();
    }

    @Test
    void aLoneMessageIsInvokedWhenTheWindowEnds() {
        List<SqsBatching.Batch> batches = new SqsBatching(5, 3, 500, n -> 0.5).batches(new double[] {10});

        assertThat(batches).containsExactly(new SqsBatching.Batch(List.of(0), 10, 13, 13.5));
    }

    @Test
    void aBurstIsDealtAmongThePollersThatReceiveAtOnce() {
        List<SqsBatching.Batch> batches = new SqsBatching(5, 5, 500, n -> 1).batches(steady(1_000, 200));

        assertThat(batches).hasSize(5).allSatisfy(batch -> assertThat(batch.messages()).hasSize(200));
        assertThat(batches).extracting(SqsBatching.Batch::invoked).allSatisfy(at -> assertThat(at).isLessThan(5.1));
    }

    @Test
    void aPollerInvokesAsSoonAsItHoldsABatchSize() {
        List<SqsBatching.Batch> batches = new SqsBatching(1, 20, 10, n -> 0).batches(steady(25, 1_000));

        assertThat(batches).extracting(batch -> batch.messages().size()).containsExactly(10, 10, 5);
        assertThat(batches.get(0).invoked()).isEqualTo(0.009, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(batches.get(2).invoked()).isEqualTo(20.02, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void messagesThatArriveWhileEveryPollerIsBusyWaitAndGoTogether() {
        // one poller, busy 10 s with the first message; the next nine arrive meanwhile
        List<SqsBatching.Batch> batches = new SqsBatching(1, 1, 500, n -> 10).batches(steady(10, 5));

        assertThat(batches).extracting(batch -> batch.messages().size()).containsExactly(5, 5);
        assertThat(batches.get(1).opened()).isEqualTo(batches.get(0).finished());
        assertThat(batches.get(1).invoked()).isEqualTo(batches.get(0).finished() + 1);
    }
}
