/**
 * Turns an image event's URI into bytes, safely: {@link org.fgclip2.fetch.ImageFetcher} under a
 * {@link org.fgclip2.fetch.FetchPolicy} (timeouts, size limit, redirects, file root), an
 * {@link org.fgclip2.fetch.AddressPolicy} (which network destinations HTTP may reach) and
 * {@link org.fgclip2.fetch.FetchLimits} (how many HTTP fetches run at once, per host and in all). Failures are
 * {@link org.fgclip2.fetch.FetchException}s with a machine-readable category, for the topology's dead-letter
 * records (stage "fetch").
 */
package org.fgclip2.fetch;
