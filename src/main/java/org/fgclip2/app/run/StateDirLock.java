package org.fgclip2.app.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.fgclip2.app.cli.EnvironmentException;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.config.AppConfig;

/**
 * Finds out at start whether another instance holds this application's state directory. Kafka Streams locks it
 * for as long as it runs (the pending stores are persistent) and would refuse only later, once the model has
 * loaded, with a message that does not say what to change.
 */
final class StateDirLock {
    private StateDirLock() {
    }

    static void requireFree(AppConfig config) {
        Path stateDir = config.stateDir();
        // the file Kafka Streams itself locks: <state.dir>/<application.id>/.lock
        Path lockFile = stateDir.resolve(config.applicationId()).resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        // Meant for an instance in another process: closing this channel would also drop a lock that this same
        // process holds on the file (POSIX locks belong to the process).
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(stateDir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw inUse(stateDir);
        } catch (IOException e) {
            throw new EnvironmentException("cannot use state.dir " + stateDir + ": " + Reasons.of(e) + "; it must be"
                    + " a writable folder of this instance (FGCLIP2_STATE_DIR)", e);
        }
    }

    private static EnvironmentException inUse(Path stateDir) {
        return new EnvironmentException("state.dir " + stateDir + " is in use by another instance: give each"
                + " instance its own state.dir (FGCLIP2_STATE_DIR)");
    }
}
