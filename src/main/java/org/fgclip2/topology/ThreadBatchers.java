package org.fgclip2.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The batcher of each stream thread: made when the thread's first batched task starts, dropped when its last one
 * closes, so a replaced thread starts afresh.
 */
final class ThreadBatchers {

    private final Map<Thread, ThreadBatcher> byThread = new ConcurrentHashMap<>();
    private final Supplier<ThreadBatcher> newBatcher;

    ThreadBatchers(Supplier<ThreadBatcher> newBatcher) {
        this.newBatcher = newBatcher;
    }

    /** The calling stream thread's batcher, with {@code owner} registered on it. */
    ThreadBatcher join(BatchOwner owner) {
        ThreadBatcher batcher = byThread.computeIfAbsent(Thread.currentThread(), t -> newBatcher.get());
        batcher.register(owner);
        return batcher;
    }

    /** Called by a closing task on its stream thread. */
    void leave(ThreadBatcher batcher, BatchOwner owner) {
        if (batcher.unregister(owner)) {
            byThread.remove(Thread.currentThread(), batcher);
        }
    }

    /** A measure summed over every thread's batcher (for gauges, read from any thread). */
    double sum(ToDoubleFunction<ThreadBatcher> measure) {
        return byThread.values().stream().mapToDouble(measure).sum();
    }
}
