package org.fgclip2.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How many HTTP(S) fetches may run at once, so that a slow or hanging host cannot hold every connection: a fetch
 * that finds its host or the whole fetcher at the limit waits its turn in a queue, holding no thread.
 *
 * @param maxPerHost   most fetches running at once to one origin (scheme, host and port, so
 *                     {@code http://cdn.example} and {@code https://cdn.example} count apart): a hanging host holds
 *                     at most that many connections
 * @param maxInFlight  most fetches running at once over all hosts. Each running fetch holds a connection and up
 *                     to {@link FetchPolicy#maxBytes()} of body in memory
 * @param queueTimeout longest a fetch waits for its turn before it fails
 */
public record FetchLimits(int maxPerHost, int maxInFlight, Duration queueTimeout) {

    public FetchLimits {
        Objects.requireNonNull(queueTimeout, "queueTimeout");
        if (maxPerHost < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxPerHost and maxInFlight must be at least 1, got " + maxPerHost
                    + " and " + maxInFlight);
        }
        if (maxPerHost > maxInFlight) {
            throw new IllegalArgumentException("maxPerHost " + maxPerHost + " is above maxInFlight " + maxInFlight
                    + ", so one host could take every fetch slot; lower maxPerHost or raise maxInFlight");
        }
        if (queueTimeout.isNegative() || queueTimeout.isZero()) {
            throw new IllegalArgumentException("queueTimeout must be positive, got " + queueTimeout);
        }
    }
}
