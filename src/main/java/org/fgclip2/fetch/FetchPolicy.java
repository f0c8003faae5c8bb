package org.fgclip2.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ImageFetcher} may fetch and how long it may take.
 *
 * @param connectTimeout longest wait for one TCP (and TLS) connection; default {@value #DEFAULT_CONNECT_SECONDS} s
 * @param readTimeout    longest a whole HTTP fetch may take once it has its turn (see {@link FetchLimits}),
 *                       every redirect hop, DNS lookup, the response headers and the last byte of the body
 *                       included; default {@value #DEFAULT_READ_SECONDS} s
 * @param maxBytes       largest image accepted, checked against the declared {@code Content-Length} or file size
 *                       before reading and against the bytes actually read; default 20 MiB
 * @param maxRedirects   most HTTP redirects followed; default {@value #DEFAULT_MAX_REDIRECTS}
 * @param fileRoot       the only folder {@code file:} URIs may read from (with everything below it); null, the
 *                       default, refuses every {@code file:} URI
 * @param addresses      which network destinations HTTP(S) may reach; default {@link AddressPolicy#STRICT}
 * @param limits         how many HTTP(S) fetches may run at once, per host and in all, and how long one may wait
 *                       for its turn; default {@link FetchLimits#DEFAULTS}
 */
public record FetchPolicy(Duration connectTimeout, Duration readTimeout, long maxBytes, int maxRedirects,
                          Path fileRoot, AddressPolicy addresses, FetchLimits limits) {

    public static final long DEFAULT_CONNECT_SECONDS = 5;
    public static final long DEFAULT_READ_SECONDS = 20;
    public static final long DEFAULT_MAX_BYTES = 20L << 20;
    public static final int DEFAULT_MAX_REDIRECTS = 3;
    /** A fetched image lives in one Java array. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    /** The defaults: public HTTP(S) only, no {@code file:}, 5 s / 20 s, 20 MiB, 3 redirects, 16 per host / 256. */
    public static final FetchPolicy DEFAULTS = new FetchPolicy(Duration.ofSeconds(DEFAULT_CONNECT_SECONDS),
            Duration.ofSeconds(DEFAULT_READ_SECONDS), DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, null,
            AddressPolicy.STRICT, FetchLimits.DEFAULTS);

    public FetchPolicy {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(limits, "limits");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive, got connect " + connectTimeout
                    + ", read " + readTimeout);
        }
        if (maxBytes <= 0 || maxBytes > ARRAY_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be in 1.." + ARRAY_LIMIT + ", got " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, got " + maxRedirects);
        }
    }

    public FetchPolicy withTimeouts(Duration connect, Duration read) {
        return new FetchPolicy(connect, read, maxBytes, maxRedirects, fileRoot, addresses, limits);
    }

    public FetchPolicy withMaxBytes(long bytes) {
        return new FetchPolicy(connectTimeout, readTimeout, bytes, maxRedirects, fileRoot, addresses, limits);
    }

    public FetchPolicy withMaxRedirects(int redirects) {
        return new FetchPolicy(connectTimeout, readTimeout, maxBytes, redirects, fileRoot, addresses, limits);
    }

    public FetchPolicy withFileRoot(Path root) {
        return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, root, addresses, limits);
    }

    public FetchPolicy withAddresses(AddressPolicy policy) {
        return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, fileRoot, policy, limits);
    }

    public FetchPolicy withLimits(FetchLimits newLimits) {
        return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, fileRoot, addresses, newLimits);
    }
}
