package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.TIMEOUT;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns for HTTP fetches under {@link FetchLimits}: at most {@code maxPerHost} running per origin and
 * {@code maxInFlight} in all. A fetch that finds no free slot waits as a future in its origin's first-in first-out
 * queue, holding no thread. A slot freed under the global limit goes to the waiting origins in turn, one fetch each,
 * so that a host with a long queue cannot starve one with a short queue. A fetch that waits longer than
 * {@code queueTimeout} fails with a {@link FetchException} that names the origin, the limit it waited on and how
 * many waited with it.
 *
 * <p>Futures are completed outside the lock: what a fetch does next when it gets its turn never runs under it.
 */
final class FetchGate {

    /** A running fetch's slot; {@link #release()} gives it back, once, however the fetch ended. */
    final class Turn {
        private final Origin origin;
        private final AtomicBoolean released = new AtomicBoolean();

        private Turn(Origin origin) {
            this.origin = origin;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                FetchGate.this.release(origin);
            }
        }
    }

    private static final class Origin {
        final String name;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        int running;
        /** Whether this origin is in {@link #ready}: it has waiters, a free slot of its own, no global one. */
        boolean ready;

        Origin(String name) {
            this.name = name;
        }
    }

    private static final class Waiter {
        final Origin origin;
        final String where;
        final CompletableFuture<Turn> turn = new CompletableFuture<>();
        volatile ScheduledFuture<?> expiry;

        Waiter(Origin origin, String where) {
            this.origin = origin;
            this.where = where;
        }
    }

    private record Grant(Waiter waiter, Turn turn) {
    }

    private final FetchLimits limits;
    private final ScheduledExecutorService timer;
    private final Map<String, Origin> origins = new HashMap<>();
    private final ArrayDeque<Origin> ready = new ArrayDeque<>();
    private int running;
    private int waiting;

    FetchGate(FetchLimits limits, ScheduledExecutorService timer) {
        this.limits = limits;
        this.timer = timer;
    }

    /**
     * A turn at {@code origin}: complete at once when both limits allow, later when a slot frees up, or failed with
     * a {@link FetchException} (category TIMEOUT) after the queue timeout. Cancelling the future leaves the queue.
     *
     * @param where the fetch, for the message of a queue timeout ("URI https://...")
     */
    CompletableFuture<Turn> acquire(String origin, String where) {
        Waiter waiter;
        List<Grant> grants;
        synchronized (this) {
            Origin o = origins.computeIfAbsent(origin, Origin::new);
            if (o.waiters.isEmpty() && o.running < limits.maxPerHost() && running < limits.maxInFlight()) {
                return CompletableFuture.completedFuture(start(o));
            }
            waiter = new Waiter(o, where);
            o.waiters.add(waiter);
            waiting++;
            markReady(o);
            grants = dispatch();
        }
        hand(grants);
        waiter.expiry = timer.schedule(() -> expire(waiter), limits.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        waiter.turn.whenComplete((turn, error) -> {
            waiter.expiry.cancel(false);
            if (waiter.turn.isCancelled()) {
                withdraw(waiter);
            }
        });
        return waiter.turn;
    }

    /** Fetches running now. */
    synchronized int running() {
        return running;
    }

    /** Fetches waiting for their turn now. */
    synchronized int waiting() {
        return waiting;
    }

    private Turn start(Origin o) {
        o.running++;
        running++;
        return new Turn(o);
    }

    private void release(Origin o) {
        List<Grant> grants;
        synchronized (this) {
            o.running--;
            running--;
            markReady(o);
            grants = dispatch();
            forgetIfIdle(o);
        }
        hand(grants);
    }

    /** Puts an origin in line for a global slot if it has waiters and a free slot of its own. */
    private void markReady(Origin o) {
        if (!o.ready && !o.waiters.isEmpty() && o.running < limits.maxPerHost()) {
            o.ready = true;
            ready.add(o);
        }
    }

    /** Gives free global slots to the ready origins in turn, one waiter each. */
    private List<Grant> dispatch() {
        List<Grant> grants = new ArrayList<>();
        while (running < limits.maxInFlight() && !ready.isEmpty()) {
            Origin o = ready.poll();
            o.ready = false;
            Waiter w = o.waiters.poll();
            waiting--;
            grants.add(new Grant(w, start(o)));
            markReady(o);
        }
        return grants;
    }

    /** Completes granted waiters outside the lock; a waiter that left meanwhile gives its slot straight back. */
    private static void hand(List<Grant> grants) {
        for (Grant g : grants) {
            if (!g.waiter().turn.complete(g.turn())) {
                g.turn().release();
            }
        }
    }

    private void withdraw(Waiter w) {
        synchronized (this) {
            leave(w);
        }
    }

    private void expire(Waiter w) {
        FetchException failure;
        synchronized (this) {
            Origin o = w.origin;
            int queued = o.waiters.size();
            if (!leave(w)) {
                return;
            }
            String waitedFor = o.running >= limits.maxPerHost()
                    ? "it had " + o.running + " running, the per-host limit (maxPerHost), and " + queued
                            + " waiting, this one included; the host is slow or not answering, or, if it is only"
                            + " busy, raise maxPerHost or queueTimeout"
                    : "all " + running + " fetch slots were taken (maxInFlight), with " + (waiting + 1)
                            + " fetches waiting, this one included; raise maxInFlight or queueTimeout, or find the"
                            + " slow hosts that hold the slots";
            failure = new FetchException(TIMEOUT, w.where + ": no turn to fetch from " + o.name + " within "
                    + limits.queueTimeout().toMillis() + " ms (queueTimeout): " + waitedFor);
        }
        w.turn.completeExceptionally(failure);
    }

    /** Takes a waiter out of its queue; false when it is no longer there (granted, expired or withdrawn). */
    private boolean leave(Waiter w) {
        Origin o = w.origin;
        if (!o.waiters.remove(w)) {
            return false;
        }
        waiting--;
        if (o.waiters.isEmpty() && o.ready) {
            o.ready = false;
            ready.remove(o);
        }
        forgetIfIdle(o);
        return true;
    }

    private void forgetIfIdle(Origin o) {
        if (o.running == 0 && o.waiters.isEmpty()) {
            origins.remove(o.name, o);
        }
    }
}
