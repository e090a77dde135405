package dev.postrenderer.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Gives S3Mock the one S3 guarantee it lacks: that a conditional write ({@code If-Match},
 * {@code If-None-Match}) checks and writes in one step. S3Mock 5.2.0 checks the condition, then
 * writes; two writers whose checks fall between each other's check and write both succeed, and
 * one update is lost. Measured here: eight writers incrementing a counter with If-Match, 200
 * successful writes left 186 (and 178 in a second run). S3 itself never does this.
 *
 * <p>Conditional puts and deletes ({@code If-Match}) of the same object from this JVM are serialised
 * around the request, so the server sees them one at a time, as S3 applies them: a conditional
 * delete that checked an older page must not remove the page a newer writer put in between. Everything else is untouched: reads still
 * race writes, and conditions still fail when another writer was first.
 */
final class AtomicConditionalWrites implements ExecutionInterceptor {

    private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final ExecutionAttribute<ReentrantLock> HELD = new ExecutionAttribute<>("conditional-write-lock");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String conditional = null;
        if (request instanceof PutObjectRequest put && (put.ifMatch() != null || put.ifNoneMatch() != null)) {
            conditional = put.bucket() + "/" + put.key();
        } else if (request instanceof DeleteObjectRequest delete && delete.ifMatch() != null) {
            conditional = delete.bucket() + "/" + delete.key();
        }
        if (conditional != null) {
            ReentrantLock lock = LOCKS.computeIfAbsent(conditional, key -> new ReentrantLock());
            lock.lock();
            attributes.putAttribute(HELD, lock);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    private static void release(ExecutionAttributes attributes) {
        ReentrantLock lock = attributes.getAttribute(HELD);
        if (lock != null && lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }
}
