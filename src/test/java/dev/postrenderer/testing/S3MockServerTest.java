package dev.postrenderer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postrenderer.aws.S3ObjectStore;
import dev.postrenderer.publish.Precondition;
import dev.postrenderer.publish.PutOptions;
import dev.postrenderer.publish.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** What the test harness relies on S3Mock for, and the one thing it adds. */
class S3MockServerTest {

    private static final S3MockServer S3 = S3MockServer.get();
    /** Races of a delete and a write; without the harness's serialisation, 13 of 150 let both take effect. */
    private static final int ROUNDS = 60;

    @Test
    void harnessClientsNeverLoseAConditionalWrite() throws Exception {
        Result result = increment(S3::newClient);
        assertThat(result.finalValue()).isEqualTo(result.successes()).isEqualTo(160);
        assertThat(result.conflicts()).as("writers really raced").isPositive();
    }

    /**
     * A conditional delete of a page and a conditional write over the same page, racing: on S3 at
     * most one of them takes effect, so a page a writer was told it wrote is never deleted under it.
     */
    @Test
    void harnessClientsNeverLetAConditionalDeleteAndAConditionalWriteBothSucceed() throws Exception {
        String bucket = S3.newBucket("cad");
        S3ObjectStore writer = new S3ObjectStore(S3.newClient(), bucket);
        S3ObjectStore deleter = new S3ObjectStore(S3.newClient(), bucket);
        PutOptions options = new PutOptions("text/plain", Optional.empty(), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int bothSucceeded = 0;
        int putWon = 0;
        int deleteWon = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "page-" + round;
                String first = writer.put(key, ("old " + round).getBytes(StandardCharsets.UTF_8), options,
                        Precondition.ABSENT).orElseThrow();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                Future<Boolean> put = pool.submit(() -> {
                    start.await();
                    return writer.put(key, ("new " + key).getBytes(StandardCharsets.UTF_8), options,
                            Precondition.matching(first)).isPresent();
                });
                Future<Boolean> delete = pool.submit(() -> {
                    start.await();
                    return deleter.delete(key, first);
                });
                start.countDown();
                boolean wrote = put.get();
                boolean deleted = delete.get();
                bothSucceeded += wrote && deleted ? 1 : 0;
                putWon += wrote && !deleted ? 1 : 0;
                deleteWon += deleted && !wrote ? 1 : 0;
            }
        } finally {
            pool.shutdown();
        }
        assertThat(bothSucceeded).as("rounds in which both the write and the delete took effect").isZero();
        assertThat(putWon + deleteWon).isEqualTo(ROUNDS);
        assertThat(putWon).as("rounds the write won").isPositive();
        assertThat(deleteWon).as("rounds the delete won").isPositive();
    }

    private record Result(int successes, int finalValue, int conflicts) {
    }

    /** Eight writers each add one to a counter twenty times, reading it and writing it back with If-Match. */
    private static Result increment(Supplier<S3Client> clients) throws Exception {
        String bucket = S3.newBucket("cas");
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] writers = new Future<?>[8];
            for (int t = 0; t < 8; t++) {
                S3ObjectStore store = new S3ObjectStore(clients.get(), bucket);
                writers[t] = pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        while (true) {
                            Optional<StoredObject> current = store.get("counter");
                            if (current.isPresent() && !current.get().info().holds(current.get().content())) {
                                continue; // a read torn by a write in progress: read again
                            }
                            int value = current.map(o -> Integer.parseInt(text(o).strip())).orElse(0);
                            Precondition precondition = Precondition.unchangedFrom(current.map(StoredObject::info));
                            byte[] next = ((value + 1) + " ".repeat(4000)).getBytes(StandardCharsets.UTF_8);
                            if (store.put("counter", next, new PutOptions("text/plain", Optional.empty(), Map.of()),
                                    precondition).isPresent()) {
                                successes.incrementAndGet();
                                break;
                            }
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdown();
        }
        StoredObject last = new S3ObjectStore(S3.client(), bucket).get("counter").orElseThrow();
        return new Result(successes.get(), Integer.parseInt(text(last).strip()), conflicts.get());
    }

    private static String text(StoredObject object) {
        return new String(object.content(), StandardCharsets.UTF_8);
    }
}
