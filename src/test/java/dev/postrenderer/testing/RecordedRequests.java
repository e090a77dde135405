package dev.postrenderer.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Records every HTTP request a real S3 client sends, to count them or look at their headers.
 * Nothing is stubbed: the requests still go to the server.
 */
public final class RecordedRequests implements ExecutionInterceptor {

    private final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        requests.add(context.httpRequest());
    }

    /** Every request sent so far, in order. */
    public List<SdkHttpRequest> all() {
        return List.copyOf(requests);
    }

    /** Forgets what was recorded. */
    public void clear() {
        requests.clear();
    }

    /** One line per request, {@code PUT /site/posts/a/index.html}, for assertion messages. */
    public List<String> summary() {
        return requests.stream().map(request -> request.method() + " " + request.encodedPath()).toList();
    }
}
