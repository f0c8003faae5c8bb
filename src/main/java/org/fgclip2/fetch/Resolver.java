package org.fgclip2.fetch;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.fgclip2.concurrent.DaemonThreads;

/**
 * Host name lookups off the callers' threads. The JDK resolves names only by blocking a thread
 * ({@link InetAddress#getAllByName}), so lookups run on a few threads of their own, and a name that is already being
 * looked up is not looked up again: every fetch waiting for it gets the one answer. A name whose DNS server does not
 * answer thus holds one thread until the JVM's resolver gives up, not one per fetch; {@value #THREADS} such names
 * at once delay the others' lookups.
 *
 * <p>Answers are not kept beyond the lookup: caching is the JVM's ({@code networkaddress.cache.ttl}), as for any
 * lookup.
 */
final class Resolver {

    static final int THREADS = 16;

    private final ThreadPoolExecutor threads;
    private final Map<String, CompletableFuture<InetAddress[]>> running = new ConcurrentHashMap<>();

    Resolver() {
        threads = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("fgclip2-dns-"));
        threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Every address of {@code host} (an IP literal gives itself). The future fails with the lookup's exception,
     * such as {@link java.net.UnknownHostException}; cancelling it does not disturb other fetches of the same name.
     */
    CompletableFuture<InetAddress[]> resolve(String host) {
        CompletableFuture<InetAddress[]> created = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> existing = running.putIfAbsent(host, created);
        if (existing != null) {
            return existing.copy();
        }
        threads.execute(() -> {
            InetAddress[] addresses = null;
            Throwable failure = null;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (Throwable t) {
                failure = t;
            }
            // removed before completing, so that no later fetch is handed this answer instead of asking anew
            running.remove(host, created);
            if (failure == null) {
                created.complete(addresses);
            } else {
                created.completeExceptionally(failure);
            }
        });
        return created.copy();
    }
}
