package dev.postrenderer.aws;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Lets priming run real S3 client calls without the network: while it is armed, every request is
 * built, marshalled, signed and checksummed as usual, then stopped just before it would be sent.
 * Disarmed (always, outside priming), it does nothing.
 */
public final class PrimingGuard implements ExecutionInterceptor {

    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger stopped = new AtomicInteger();

    /** Thrown instead of sending a request while priming. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped before transmission: priming", null, false, false);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (armed.get()) {
            stopped.incrementAndGet();
            throw new Stopped();
        }
    }

    void arm() {
        armed.set(true);
    }

    void disarm() {
        armed.set(false);
    }

    /** How many requests priming stopped before they were sent. */
    int stopped() {
        return stopped.get();
    }
}
