package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.BAD_URI;
import static org.fgclip2.fetch.FetchException.Category.FORBIDDEN;
import static org.fgclip2.fetch.FetchException.Category.IO_ERROR;
import static org.fgclip2.fetch.FetchException.Category.NOT_FOUND;
import static org.fgclip2.fetch.FetchException.Category.TOO_LARGE;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code file:} URIs, confined to one root folder.
 *
 * <p>Checks, in order: an absolute local URI ({@code file:///p}, {@code file:/p} or {@code file://localhost/p}, no
 * query or fragment); no {@code ..} segment (also percent-encoded); the path lies below the root as written; the
 * real path, with every symbolic link resolved, still lies below the root's real path; it is a regular file (not a
 * folder, device or FIFO); its size is within the limit. The file is then opened without following a link in its
 * last component and read counting bytes, so a file that grows after the check is still cut at the limit.
 *
 * <p>Residual risk: someone who can rename folders inside the root while a fetch runs could swap a checked folder
 * for a link between the check and the open. The root's contents are assumed to be controlled by the operator,
 * not by whoever writes the event.
 */
final class FileFetcher {

    private final Path root;
    private final Path realRoot;
    private final long maxBytes;

    FileFetcher(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        try {
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("image root " + this.root + " cannot be used: " + e, e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("image root " + this.root + " is not a folder");
        }
        this.maxBytes = maxBytes;
    }

    byte[] fetch(URI uri) {
        Path path = localPath(uri);
        for (Path segment : path) {
            if (segment.toString().equals("..")) {
                throw new FetchException(FORBIDDEN, "file URI " + uri + " contains a '..' segment; "
                        + "write the path below the image root without '..'");
            }
        }
        Path normal = path.normalize();
        if (!normal.startsWith(root) && !normal.startsWith(realRoot)) {
            throw new FetchException(FORBIDDEN, "file URI " + uri + " is outside the image root " + root);
        }
        Path real = realPath(uri, normal);
        if (!real.startsWith(realRoot)) {
            throw new FetchException(FORBIDDEN, "file URI " + uri
                    + " leads through a symbolic link to a file outside the image root " + root);
        }
        BasicFileAttributes attributes = attributes(uri, real);
        if (!attributes.isRegularFile()) {
            throw new FetchException(FORBIDDEN, "file URI " + uri + " is "
                    + (attributes.isDirectory() ? "a folder" : "not a regular file (a device, FIFO or socket)")
                    + ", not an image file");
        }
        if (attributes.size() > maxBytes) {
            throw new FetchException(TOO_LARGE, "file " + uri + " is " + attributes.size()
                    + " bytes, above the limit of " + maxBytes + " bytes (maxBytes)");
        }
        return read(uri, real);
    }

    private static Path localPath(URI uri) {
        if (uri.isOpaque()) {
            throw new FetchException(BAD_URI, "file URI " + uri
                    + " is relative; write an absolute one such as file:///images/cat.jpg");
        }
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new FetchException(BAD_URI, "file URI " + uri + " names the host '" + host
                    + "'; only local files can be read (file:///path or file://localhost/path)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new FetchException(BAD_URI, "file URI " + uri + " has a query or fragment; a file URI is a path");
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            throw new FetchException(BAD_URI, "file URI " + uri + " has no absolute path");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new FetchException(BAD_URI, "file URI " + uri + " is not a valid path: " + e.getReason(), e);
        }
    }

    private static Path realPath(URI uri, Path path) {
        try {
            return path.toRealPath();
        } catch (AccessDeniedException e) {
            throw new FetchException(FORBIDDEN, "file " + uri + " cannot be accessed: permission denied", e);
        } catch (IOException e) {
            if (e instanceof NoSuchFileException || hasFileAsFolder(path)) {
                throw new FetchException(NOT_FOUND, "file " + uri + " does not exist", e);
            }
            throw new FetchException(IO_ERROR, "file " + uri + " cannot be resolved: " + e, e);
        }
    }

    /** Whether the path goes through a regular file as if it were a folder ({@code cat.jpg/x}). */
    private static boolean hasFileAsFolder(Path path) {
        for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.isRegularFile(parent)) {
                return true;
            }
        }
        return false;
    }

    private static BasicFileAttributes attributes(URI uri, Path real) {
        try {
            return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new FetchException(IO_ERROR, "file " + uri + " cannot be inspected: " + e, e);
        }
    }

    private byte[] read(URI uri, Path real) {
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new FetchException(TOO_LARGE, "file " + uri + " grew above the limit of " + maxBytes
                        + " bytes (maxBytes) while being read");
            }
            return bytes;
        } catch (AccessDeniedException e) {
            throw new FetchException(FORBIDDEN, "file " + uri + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new FetchException(IO_ERROR, "file " + uri + " cannot be read: " + e, e);
        }
    }
}
