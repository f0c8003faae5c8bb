package org.fgclip2.fetch;

import java.util.Objects;

/**
 * An image URI whose bytes could not be fetched. {@link #category()} is for machines (dead-letter statistics,
 * retry decisions), {@link #getMessage()} for people: it names the URI's problem and, where there is one, the
 * setting that would change the outcome. Unchecked, so that stream processors can route the record to an error
 * path in one place.
 */
public class FetchException extends RuntimeException {

    /** What kind of failure; stable names meant for dead-letter records and metrics. */
    public enum Category {
        /** The URI is malformed, relative, has an unsupported scheme, credentials, or an odd host form. */
        BAD_URI,
        /** The {@link FetchPolicy} refuses it: address class, host allow-list, file outside the root, not a file. */
        FORBIDDEN,
        /** No such file, or HTTP 404/410. */
        NOT_FOUND,
        /** Larger than {@link FetchPolicy#maxBytes()}, by the declared length or by the bytes counted. */
        TOO_LARGE,
        /**
         * No connection within the connect timeout, not complete within the read timeout, or no turn within the queue
         * timeout of {@link FetchLimits} (the host, or the whole fetcher, was at its limit all along).
         */
        TIMEOUT,
        /** The host name does not resolve, the connection is refused or reset, or TLS fails. */
        UNREACHABLE,
        /** Any other HTTP status, a redirect without target, or too many redirects. */
        HTTP_ERROR,
        /**
         * Reading failed half-way (a file read error, a connection closed before the end of the body), or the
         * fetching thread was interrupted.
         */
        IO_ERROR
    }

    private final Category category;

    public FetchException(Category category, String message) {
        super(message);
        this.category = Objects.requireNonNull(category, "category");
    }

    public FetchException(Category category, String message, Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category, "category");
    }

    public Category category() {
        return category;
    }
}
