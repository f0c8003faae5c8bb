package org.fgclip2.heatmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Heatmaps as files under a root folder: {@code root/<image>/<label set>/<label>.png}, returned as {@code file:}
 * URIs. The default store of the application.
 *
 * <p><b>Names</b> are {@link HeatmapNames#relativePath}: no id can steer a file out of the root.
 *
 * <p><b>Writes</b> go to a temporary file in the target folder, then replace the target in one atomic rename: a
 * reader sees the old heatmap or the new one, never a part. With {@code durable}, the file and its folder are also
 * forced to disk before the call returns. A crash can leave a {@code .partial-*} file behind, never a partial
 * heatmap under a real name. Thread-safe; concurrent puts of the same key leave one complete file.
 */
public final class LocalDirectoryHeatmapStore implements HeatmapStore {

    private final Path root;
    private final boolean durable;

    /** A store that does not force writes to disk (heatmaps can be rendered again). */
    public LocalDirectoryHeatmapStore(Path root) {
        this(root, false);
    }

    /**
     * @param root    created if missing
     * @param durable whether each put forces the file and its folder to disk before returning
     * @throws UncheckedIOException if the root cannot be created
     */
    public LocalDirectoryHeatmapStore(Path root, boolean durable) {
        try {
            this.root = Files.createDirectories(root.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("heatmap folder " + root + " cannot be created: " + e, e);
        }
        this.durable = durable;
    }

    /**
     * Temporary files are created owner-only; heatmaps are meant to be read by other processes (consumers, a web
     * server, other replicas' users of a shared volume), so they get the usual rw-r--r--.
     */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Override
    public URI put(HeatmapKey key, byte[] png) {
        Objects.requireNonNull(png, "png");
        Path target = pathOf(key);
        Path folder = target.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, ".partial-", ".png");
            readableByAll(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(png);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            moveAtomically(temporary, target);
            temporary = null;
            if (durable) {
                forceFolder(folder);
            }
            return target.toUri();
        } catch (IOException e) {
            throw new UncheckedIOException("heatmap " + key + " cannot be written to " + target + ": " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /** Where {@code key} is stored; always below the root. */
    Path pathOf(HeatmapKey key) {
        Path path = root.resolve(HeatmapNames.relativePath(key));
        if (!path.normalize().startsWith(root)) {
            throw new IllegalStateException("heatmap name escaped the store: " + path); // cannot happen: see HeatmapNames
        }
        return path;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open a folder for syncing; the file itself is already on disk
        }
    }
}
