package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.BAD_URI;
import static org.fgclip2.fetch.FetchException.Category.FORBIDDEN;
import static org.fgclip2.fetch.FetchException.Category.IO_ERROR;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.TrustManager;

/**
 * The bytes behind an image event's URI, fetched under a {@link FetchPolicy}: {@code http:} and {@code https:}
 * (with server-side request forgery checks on every hop, see {@link AddressPolicy}) and {@code file:} below a
 * configured root. Every other scheme ({@code ftp:}, {@code jar:}, {@code data:}, ...) is refused.
 *
 * <p>Every failure is a {@link FetchException} whose category says what kind and whose message says what to
 * change. Thread-safe: one instance serves the whole application.
 *
 * <p><b>Isolation.</b> An HTTP(S) fetch holds no thread while it waits: not for its turn, not for DNS, not for the
 * server. At most {@link FetchLimits#maxPerHost()} fetches run at once per origin and
 * {@link FetchLimits#maxInFlight()} in all; the others wait in a queue per origin, and fail after
 * {@link FetchLimits#queueTimeout()}. So a slow or hanging host holds a bounded number of connections and delays
 * only its own images. {@code file:} reads never wait behind HTTP: they run on the executor the caller names.
 *
 * <p>HTTP(S) connections go to the exact address that was checked, with the URI's host name as {@code Host} header
 * and, for HTTPS, as the TLS server name the certificate is verified against, so a name that resolves to a public
 * address for the check and to an internal one a moment later (DNS rebinding) cannot steer the connection. This
 * needs {@link #prepareJvm()} in applications that use {@code java.net.http} before their first fetcher.
 */
public final class ImageFetcher {

    /** Longer URIs are refused before parsing, so that a hostile event cannot bloat error records. */
    static final int MAX_URI_LENGTH = 8192;

    private final FetchPolicy policy;
    private final HttpFetcher http;
    private final FileFetcher files;

    /**
     * @throws IllegalArgumentException      if the policy's file root is not an existing folder
     * @throws java.io.UncheckedIOException if the file root cannot be resolved
     * @throws IllegalStateException         if the JDK HTTP client cannot set the Host header (see above)
     */
    public ImageFetcher(FetchPolicy policy) {
        this(policy, null);
    }

    /** With the given trust managers for HTTPS server certificates; null for the JVM's default trust store. */
    ImageFetcher(FetchPolicy policy, TrustManager[] trust) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.http = new HttpFetcher(policy, trust);
        this.files = policy.fileRoot() == null ? null : new FileFetcher(policy.fileRoot(), policy.maxBytes());
    }

    /**
     * Lets the JDK HTTP client send the {@code Host} header this fetcher sets when it pins a connection to a
     * checked address. The JDK reads that permission once, when {@code java.net.http} is first used anywhere in
     * the JVM; an application that uses HTTP before it creates its first fetcher (a model download) calls this
     * first thing in {@code main}. Idempotent; keeps other entries of {@code jdk.httpclient.allowRestrictedHeaders}.
     */
    public static void prepareJvm() {
        HttpFetcher.allowHostHeader();
    }

    public FetchPolicy policy() {
        return policy;
    }

    /** HTTP(S) fetches running now (each holds a connection). */
    public int httpInFlight() {
        return http.gate().running();
    }

    /** HTTP(S) fetches waiting for their turn now, under the per-host or the in-flight limit. */
    public int httpQueued() {
        return http.gate().waiting();
    }

    /**
     * The bytes at {@code uri}, on the calling thread: it waits for an HTTP(S) fetch, and reads a file itself.
     *
     * @throws FetchException if the URI is refused or cannot be fetched, or the thread is interrupted (the fetch
     *                        is then stopped); never returns null
     */
    public byte[] fetch(String uri) {
        CompletableFuture<byte[]> bytes = fetchAsync(uri, Runnable::run);
        try {
            return bytes.get();
        } catch (InterruptedException e) {
            bytes.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException(IO_ERROR, "interrupted while fetching " + uri, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FetchException f ? f
                    : new FetchException(IO_ERROR, "fetching " + uri + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The bytes at {@code uri}, without blocking the caller: an HTTP(S) fetch waits for its turn and the server
     * holding no thread, a {@code file:} URI is read by a task on {@code fileReads}. The future fails with a
     * {@link FetchException}; cancelling it stops the fetch and gives its turn back.
     */
    public CompletableFuture<byte[]> fetchAsync(String uri, Executor fileReads) {
        URI parsed;
        try {
            parsed = parse(uri);
        } catch (FetchException e) {
            return CompletableFuture.failedFuture(e);
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> http.fetch(parsed);
            case "file" -> files == null
                    ? CompletableFuture.failedFuture(new FetchException(FORBIDDEN, "file URI " + parsed
                            + " refused: no image root is configured (fileRoot), so file: URIs are not allowed"))
                    : read(parsed, fileReads);
            default -> CompletableFuture.failedFuture(new FetchException(BAD_URI, "URI " + parsed
                    + " has the scheme '" + scheme + "'; supported are http, https and file"));
        };
    }

    private CompletableFuture<byte[]> read(URI file, Executor fileReads) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        try {
            fileReads.execute(() -> {
                try {
                    bytes.complete(files.fetch(file));
                } catch (RuntimeException e) {
                    bytes.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            bytes.completeExceptionally(new FetchException(IO_ERROR, "file " + file
                    + " not read: the reading threads are shutting down", e));
        }
        return bytes;
    }

    private static URI parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw new FetchException(BAD_URI, "the event has no image URI");
        }
        if (uri.length() > MAX_URI_LENGTH) {
            throw new FetchException(BAD_URI, "image URI is " + uri.length() + " characters long, above the limit of "
                    + MAX_URI_LENGTH + " (it starts with '" + uri.substring(0, 64) + "')");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new FetchException(BAD_URI, "'" + uri + "' is not a valid URI: " + e.getMessage(), e);
        }
        if (parsed.getScheme() == null) {
            throw new FetchException(BAD_URI, "URI '" + uri
                    + "' is relative; write an absolute one such as https://host/cat.jpg or file:///images/cat.jpg");
        }
        return parsed;
    }
}
