package org.fgclip2.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into a byte array that stops the transfer as soon as it passes a limit, whatever
 * the server declared (a missing or false {@code Content-Length}, chunked encoding, a body until close), and
 * that can be cancelled from outside when the fetch runs out of time.
 */
final class LimitedBody implements BodySubscriber<byte[]> {

    /** Signals that the body passed the limit; raised inside the HTTP client and recognised by the fetcher. */
    static final class TooLarge extends IOException {
        TooLarge(String what) {
            super(what);
        }
    }

    private final long limit;
    private final CompletableFuture<byte[]> result;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private boolean cancelled;

    private LimitedBody(long limit, CompletableFuture<byte[]> result, boolean cancelled) {
        this.limit = limit;
        this.result = result;
        this.cancelled = cancelled;
    }

    /** Collects up to {@code limit} bytes. */
    static LimitedBody upTo(long limit) {
        return new LimitedBody(limit, new CompletableFuture<>(), false);
    }

    /** Reads nothing: the body is not wanted (a redirect or an error status) and its connection is dropped. */
    static LimitedBody discarding() {
        return new LimitedBody(0, CompletableFuture.completedFuture(new byte[0]), true);
    }

    /** Fails at once without reading: the declared length is already too large. */
    static LimitedBody refusing(long declaredLength) {
        return new LimitedBody(0, CompletableFuture.failedFuture(
                new TooLarge("declares a body of " + declaredLength + " bytes")), true);
    }

    /** Stops the transfer; the body then completes with nothing more. Safe to call from any thread, at any time. */
    synchronized void cancel() {
        cancelled = true;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (cancelled) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if ((long) bytes.size() + buffer.remaining() > limit) {
                cancel();
                result.completeExceptionally(new TooLarge("sent more than " + limit + " bytes"));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public synchronized void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
