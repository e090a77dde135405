package dev.postrenderer.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * How Lambda's SQS event source mapping turns a stream of notifications into invocations, as its
 * documentation describes it: up to {@code MaximumConcurrency} pollers receive at once; a poller
 * that holds a message gathers more for up to {@code MaximumBatchingWindowInSeconds} or until it
 * holds {@code BatchSize}, then invokes the function and receives nothing until the invocation
 * ends. Messages that arrive while several pollers receive are dealt among them in turn, as
 * concurrent {@code ReceiveMessage} calls share a queue; messages that arrive while every poller
 * is busy wait in the queue, and a poller that comes back takes them at once. Times in seconds.
 */
public final class SqsBatching {

    /** One invocation: the messages (by index) it carries, when its poller got the first and when it invoked. */
    public record Batch(List<Integer> messages, double opened, double invoked, double finished) {
    }

    private static final class Poller {
        double busyUntil;
        List<Integer> gathering;
        double opened;
    }

    private final int pollers;
    private final double window;
    private final int batchSize;
    private final IntToDoubleFunction handling;

    /**
     * @param pollers   the event source mapping's maximum concurrency
     * @param window    its batching window, in seconds
     * @param batchSize its batch size
     * @param handling  how long the function takes for a batch of that many messages, in seconds
     */
    public SqsBatching(int pollers, double window, int batchSize, IntToDoubleFunction handling) {
        this.pollers = pollers;
        this.window = window;
        this.batchSize = batchSize;
        this.handling = handling;
    }

    /** The invocations that messages arriving at these times (ascending) make, in the order they are invoked. */
    public List<Batch> batches(double[] arrivals) {
        List<Poller> all = new ArrayList<>();
        for (int i = 0; i < pollers; i++) {
            all.add(new Poller());
        }
        List<Batch> batches = new ArrayList<>();
        Deque<Integer> waiting = new ArrayDeque<>();
        int next = 0;
        int turn = 0;
        while (next < arrivals.length || !waiting.isEmpty() || all.stream().anyMatch(p -> p.gathering != null)) {
            double now = nextEvent(all, arrivals, next, waiting.isEmpty());
            for (Poller poller : all) { // windows that end now invoke
                if (poller.gathering != null && poller.opened + window <= now) {
                    invoke(poller, poller.opened + window, batches);
                }
            }
            for (Poller poller : all) { // pollers back from an invocation take what waited
                if (poller.gathering == null && poller.busyUntil <= now && !waiting.isEmpty()) {
                    poller.gathering = new ArrayList<>();
                    poller.opened = now;
                    while (!waiting.isEmpty() && poller.gathering.size() < batchSize) {
                        poller.gathering.add(waiting.poll());
                    }
                    if (poller.gathering.size() == batchSize) {
                        invoke(poller, now, batches);
                    }
                }
            }
            if (next < arrivals.length && arrivals[next] <= now) {
                Poller receiver = null;
                for (int i = 0; i < pollers && receiver == null; i++) {
                    Poller candidate = all.get((turn + i) % pollers);
                    if (candidate.busyUntil <= now) {
                        receiver = candidate;
                        turn = (turn + i + 1) % pollers;
                    }
                }
                if (receiver == null) {
                    waiting.add(next);
                } else {
                    if (receiver.gathering == null) {
                        receiver.gathering = new ArrayList<>();
                        receiver.opened = now;
                    }
                    receiver.gathering.add(next);
                    if (receiver.gathering.size() == batchSize) {
                        invoke(receiver, now, batches);
                    }
                }
                next++;
            }
        }
        return batches;
    }

    private double nextEvent(List<Poller> all, double[] arrivals, int next, boolean nothingWaits) {
        double now = next < arrivals.length ? arrivals[next] : Double.MAX_VALUE;
        for (Poller poller : all) {
            if (poller.gathering != null) {
                now = Math.min(now, poller.opened + window);
            } else if (!nothingWaits) {
                now = Math.min(now, poller.busyUntil);
            }
        }
        return now;
    }

    private void invoke(Poller poller, double at, List<Batch> batches) {
        double finished = at + handling.applyAsDouble(poller.gathering.size());
        batches.add(new Batch(List.copyOf(poller.gathering), poller.opened, at, finished));
        poller.busyUntil = finished;
        poller.gathering = null;
    }
}
