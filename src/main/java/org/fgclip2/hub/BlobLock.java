package org.fgclip2.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to download one blob, so that two resolvers sharing a cache (threads, or application instances on
 * one host) never append to the same {@code .incomplete} file. A file lock alone would not do: the JVM holds file
 * locks per process, not per thread.
 */
final class BlobLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;

    private BlobLock(ReentrantLock threadLock, FileChannel channel) {
        this.threadLock = threadLock;
        this.channel = channel;
    }

    /** Waits until no other thread or process holds the lock file, then holds it. */
    static BlobLock acquire(Path lockFile) {
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        threadLock.lock();
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // released when the channel closes
            return new BlobLock(threadLock, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            threadLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock attempt already failed; that error is the one to report
        }
    }
}
