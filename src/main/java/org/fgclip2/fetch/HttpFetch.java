package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.HTTP_ERROR;
import static org.fgclip2.fetch.FetchException.Category.IO_ERROR;
import static org.fgclip2.fetch.FetchException.Category.NOT_FOUND;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP(S) fetch in progress, holding no thread: each step — a turn at the origin ({@link FetchGate}), the DNS
 * lookup ({@link Resolver}), the exchange — is a future whose completion starts the next, and the checks of
 * {@link HttpFetcher} run between them on every hop. A redirect to another origin gives the turn back and queues
 * for one there, so a slow redirect target holds its own slots, not those of the host that sent there.
 *
 * <p>Whatever ends the fetch — the body, a failure, the deadline ({@code readTimeout}, from the first turn on), or
 * a caller cancelling the result — stops the step in progress, cuts the body's transfer and gives the turn back.
 */
final class HttpFetch {

    private final HttpFetcher http;
    private final URI uri;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    // guarded by this; the turn, step and body are cleared by stop() once the result is complete, never set again
    private FetchGate.Turn turn;
    private CompletableFuture<?> step;
    private LimitedBody body;
    private ScheduledFuture<?> deadlineTimer;
    private String where;
    /** {@link System#nanoTime()} by which the fetch must be complete; set with the first turn. */
    private volatile long deadline;

    HttpFetch(HttpFetcher http, URI uri) {
        this.http = http;
        this.uri = uri;
    }

    CompletableFuture<byte[]> start(HttpTarget target) {
        result.whenComplete((bytes, error) -> stop());
        queue(target, 0);
        return result;
    }

    private void queue(HttpTarget target, int redirects) {
        String at = describe(target, redirects);
        guard(at, () -> {
            http.checkHost(target, at);
            setWhere(at);
            CompletableFuture<FetchGate.Turn> next = http.gate().acquire(target.origin(), at);
            track(next);
            // attached even when the fetch has ended meanwhile: a turn granted at once must still be given back
            next.whenComplete((granted, error) -> guard(at, () -> {
                if (error != null) {
                    throw error;
                }
                if (hold(granted)) {
                    hop(target, redirects, at);
                }
            }));
        });
    }

    private void hop(HttpTarget target, int redirects, String at) {
        setWhere(at);
        CompletableFuture<InetAddress[]> lookup = http.resolver().resolve(target.host());
        if (track(lookup)) {
            lookup.whenComplete((addresses, error) -> guard(at, () -> {
                if (error != null) {
                    throw http.unresolved(target, at, unwrap(error));
                }
                exchange(target, http.admit(target, addresses, at), redirects, at);
            }));
        }
    }

    private void exchange(HttpTarget target, InetAddress address, int redirects, String at) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw http.timeout(at);
        }
        CompletableFuture<HttpResponse<byte[]>> response = http.client(target)
                .sendAsync(http.request(target, address, remaining), info -> open(http.bodyFor(info)));
        if (track(response)) {
            response.whenComplete((answer, error) -> guard(at, () -> {
                if (error != null) {
                    throw http.failure(target, address, at, unwrap(error));
                }
                answered(target, answer, redirects, at);
            }));
        }
    }

    private void answered(HttpTarget target, HttpResponse<byte[]> response, int redirects, String at) {
        int status = response.statusCode();
        if (HttpFetcher.isRedirect(status)) {
            if (redirects == http.policy().maxRedirects()) {
                throw new FetchException(HTTP_ERROR, at + " redirects again after " + redirects
                        + " redirects, the limit (maxRedirects)");
            }
            HttpTarget next = http.redirectTarget(target, response, at);
            if (next.origin().equals(target.origin())) {
                String nextAt = describe(next, redirects + 1);
                http.checkHost(next, nextAt);
                hop(next, redirects + 1, nextAt);
            } else {
                giveBackTurn();
                queue(next, redirects + 1);
            }
        } else if (status >= 200 && status < 300) {
            result.complete(response.body());
        } else if (status == 404 || status == 410) {
            throw new FetchException(NOT_FOUND, at + " was not found (HTTP " + status + ")");
        } else {
            throw new FetchException(HTTP_ERROR, at + " answered HTTP " + status);
        }
    }

    private String describe(HttpTarget target, int redirects) {
        return redirects == 0 ? "URI " + uri : "URI " + target.uri() + " (redirected from " + uri + ")";
    }

    /** A step of the fetch; what it throws fails the fetch, as a {@link FetchException} naming {@code at}. */
    private interface Step {
        void run() throws Throwable;
    }

    private void guard(String at, Step step) {
        try {
            step.run();
        } catch (FetchException e) {
            result.completeExceptionally(e);
        } catch (Throwable t) {
            result.completeExceptionally(new FetchException(IO_ERROR, at + ": fetching failed: " + t, t));
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Makes {@code next} the step in progress, or cancels it (outside the lock) when the fetch has ended. */
    private boolean track(CompletableFuture<?> next) {
        synchronized (this) {
            if (!result.isDone()) {
                step = next;
                return true;
            }
        }
        next.cancel(true);
        return false;
    }

    /** Keeps a granted turn and, at the first, starts the deadline; gives it back when the fetch has ended. */
    private boolean hold(FetchGate.Turn granted) {
        synchronized (this) {
            if (!result.isDone()) {
                turn = granted;
                if (deadlineTimer == null) {
                    long timeout = http.policy().readTimeout().toNanos();
                    deadline = System.nanoTime() + timeout;
                    deadlineTimer = http.timer().schedule(
                            () -> result.completeExceptionally(http.timeout(currentWhere())), timeout,
                            TimeUnit.NANOSECONDS);
                }
                return true;
            }
        }
        granted.release();
        return false;
    }

    private void giveBackTurn() {
        FetchGate.Turn held;
        synchronized (this) {
            held = turn;
            turn = null;
        }
        if (held != null) {
            held.release();
        }
    }

    /** The body subscriber of the current exchange, so that a fetch that ends can stop its transfer. */
    private LimitedBody open(LimitedBody opened) {
        synchronized (this) {
            if (!result.isDone()) {
                body = opened;
                return opened;
            }
        }
        opened.cancel();
        return opened;
    }

    private synchronized void setWhere(String at) {
        where = at;
    }

    private synchronized String currentWhere() {
        return where;
    }

    /** Runs once the result is complete: everything still running is stopped and the turn given back. */
    private void stop() {
        ScheduledFuture<?> timer;
        CompletableFuture<?> running;
        LimitedBody transfer;
        FetchGate.Turn held;
        synchronized (this) {
            timer = deadlineTimer;
            running = step;
            transfer = body;
            held = turn;
            step = null;
            body = null;
            turn = null;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (running != null) {
            running.cancel(true);
        }
        if (transfer != null) {
            transfer.cancel();
        }
        if (held != null) {
            held.release();
        }
    }
}
