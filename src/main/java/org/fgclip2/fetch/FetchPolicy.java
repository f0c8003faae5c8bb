package org.fgclip2.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ImageFetcher} may fetch and how long it may take. The application builds it from its {@code fetch.*}
 * settings, where the defaults and their reasons are.
 *
 * @param connectTimeout longest wait for one TCP (and TLS) connection
 * @param readTimeout    longest a whole HTTP fetch may take once it has its turn (see {@link FetchLimits}),
 *                       every redirect hop, DNS lookup, the response headers and the last byte of the body
 *                       included
 * @param maxBytes       largest image accepted, checked against the declared {@code Content-Length} or file size
 *                       before reading and against the bytes actually read
 * @param maxRedirects   most HTTP redirects followed
 * @param fileRoot       the only folder {@code file:} URIs may read from (with everything below it); null
 *                       refuses every {@code file:} URI
 * @param addresses      which network destinations HTTP(S) may reach
 * @param limits         how many HTTP(S) fetches may run at once, per host and in all, and how long one may wait
 *                       for its turn
 */
public record FetchPolicy(Duration connectTimeout, Duration readTimeout, long maxBytes, int maxRedirects,
                          Path fileRoot, AddressPolicy addresses, FetchLimits limits) {

    /** A fetched image lives in one Java array. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;

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
}
