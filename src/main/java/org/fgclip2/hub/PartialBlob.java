package org.fgclip2.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A blob being downloaded: the {@code .incomplete} file and the SHA-256 of what it holds, kept in step so a resumed
 * download is verified as a whole. Disk failures are thrown as {@link UncheckedIOException}, apart from the
 * network's {@link IOException}s, because trying the download again would not help.
 */
final class PartialBlob implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private long length;

    private PartialBlob(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
        this.sha256 = newSha256();
    }

    /** Opens the file, creating it, and hashes what an earlier run left in it. */
    static PartialBlob open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            PartialBlob blob = new PartialBlob(file, FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
            blob.hashExisting();
            return blob;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void hashExisting() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                length += n;
            }
        }
        channel.position(length);
    }

    long length() {
        return length;
    }

    void append(byte[] bytes, int count) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, count);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sha256.update(bytes, 0, count);
        length += count;
    }

    /** Drops everything, for a server that will not resume. */
    void reset() {
        try {
            channel.truncate(0);
            channel.position(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sha256.reset();
        length = 0;
    }

    String sha256Hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** Closes and removes the file, whose content is known to be wrong. */
    void discard() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
