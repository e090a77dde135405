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

    @Test
    void harnessClientsNeverLoseAConditionalWrite() throws Exception {
        Result result = increment(S3::newClient);
        assertThat(result.finalValue()).isEqualTo(result.successes()).isEqualTo(160);
        assertThat(result.conflicts()).as("writers really raced").isPositive();
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
