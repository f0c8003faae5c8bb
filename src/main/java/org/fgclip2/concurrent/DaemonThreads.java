package org.fgclip2.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The project's own threads — pools, timers, watchers — are daemons: none of them may keep the JVM alive after
 * the work that needed it has ended or failed. Each carries a name, so that a thread dump says whose it is.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads that all carry {@code name}: for a single-thread executor, or a pool whose threads are alike. */
    public static ThreadFactory named(String name) {
        return task -> daemon(name, task);
    }

    /** Threads named {@code prefix} followed by 1, 2, ...: for pools whose threads show up apart in a dump. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> daemon(prefix + n.incrementAndGet(), task);
    }

    /** Runs {@code task} on a new daemon thread called {@code name}. */
    public static Thread start(String name, Runnable task) {
        Thread thread = daemon(name, task);
        thread.start();
        return thread;
    }

    /** A daemon thread not started yet. */
    public static Thread unstarted(String name, Runnable task) {
        return daemon(name, task);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
