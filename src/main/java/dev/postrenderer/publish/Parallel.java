package dev.postrenderer.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs the per-key work of a batch (reading sources, rendering, writing pages) on a few threads:
 * most of it waits for S3, so a batch of a hundred posts finishes in a fraction of the time one
 * thread takes. The threads are daemons, created once per process.
 */
final class Parallel {

    private static final int THREADS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
    /** True on the pool's own threads. */
    private static final ThreadLocal<Boolean> IN_POOL = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, runnable -> {
        Thread thread = new Thread(() -> {
            IN_POOL.set(true);
            runnable.run();
        }, "publish");
        thread.setDaemon(true);
        return thread;
    });

    private Parallel() {
    }

    /**
     * Applies {@code work} to every item, in parallel when there are several; results in item order.
     * Called from work already on the pool (an image's variants, written while the images are), it
     * runs in the caller's thread: pool threads waiting for tasks queued behind them would wait forever.
     */
    static <T, R> List<R> map(List<T> items, Function<T, R> work) {
        if (items.size() <= 1 || IN_POOL.get()) {
            return items.stream().map(work).toList();
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(POOL.submit(() -> work.apply(item)));
        }
        List<R> results = new ArrayList<>(items.size());
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("", "interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
    }
}
