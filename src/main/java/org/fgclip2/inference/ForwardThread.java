package org.fgclip2.inference;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.fgclip2.concurrent.DaemonThreads;

/**
 * The one thread on which a model's native work runs: loading and every forward, in the order asked (FIFO).
 *
 * <p>Why one thread rather than a lock: libtorch's CPU kernels use OpenMP, and OpenMP keeps a team of worker
 * threads per calling thread. Once a second thread has run a forward, the process holds more OpenMP threads than
 * cores, and libgomp then stops spinning between parallel regions; every later forward, from any thread, ran
 * 15-30 % slower (measured on 2 cores, see docs/benchmarks.md). So the engine starts on this thread as well.
 */
final class ForwardThread implements AutoCloseable {

    private final ExecutorService executor;
    private volatile Thread thread;

    ForwardThread(String name) {
        this.executor = Executors.newSingleThreadExecutor(DaemonThreads.named(name));
        call(() -> {
            thread = Thread.currentThread();
            return null;
        });
    }

    /**
     * Runs {@code work} on the forward thread and returns its result; a failure is rethrown as it was. A caller
     * interrupted while waiting still waits for the work to finish (a forward cannot be stopped half way, and its
     * result may own native memory), then keeps its interrupt flag.
     */
    <T> T call(Callable<T> work) {
        if (Thread.currentThread() == thread) {
            return callHere(work);
        }
        Future<T> result;
        try {
            result = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the model is closed", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T callHere(Callable<T> work) {
        try {
            return work.call();
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new ForwardException(cause);
    }

    /** Waits for queued work, then stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A checked exception thrown by work on the forward thread (such as an I/O error while loading weights). */
    static final class ForwardException extends RuntimeException {
        ForwardException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
