package org.fgclip2.serialization.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema registry is and how to talk to it.
 *
 * @param urls base URLs of the Confluent REST API (for Apicurio: {@code .../apis/ccompat/v7}); tried in turn
 *     when one does not answer
 * @param auth authentication, default none
 * @param tls TLS settings for {@code https} URLs, default the JDK's trust store and no client certificate
 * @param connectTimeout default {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms
 * @param requestTimeout for the whole answer, default {@value #DEFAULT_REQUEST_TIMEOUT_MS} ms
 * @param maxRetries further attempts after a connection failure or 5xx answer, default {@value #DEFAULT_MAX_RETRIES}
 * @param retryBackoff wait before the first retry, doubled for each further one, default
 *     {@value #DEFAULT_RETRY_BACKOFF_MS} ms
 */
public record SchemaRegistryConfig(
        List<URI> urls,
        RegistryAuth auth,
        Optional<RegistryTls> tls,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff) {

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final long DEFAULT_RETRY_BACKOFF_MS = 200;

    public SchemaRegistryConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("At least one schema registry URL is needed");
        }
        for (URI url : urls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("Schema registry URL must be http or https: " + url);
            }
        }
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
    }

    /**
     * The defaults for one registry, or several given comma-separated as in Confluent's
     * {@code schema.registry.url}.
     */
    public static SchemaRegistryConfig forUrls(String commaSeparatedUrls) {
        List<URI> urls = Arrays.stream(commaSeparatedUrls.split(","))
                .map(String::strip)
                .filter(url -> !url.isEmpty())
                .map(URI::create)
                .toList();
        return new SchemaRegistryConfig(
                urls,
                RegistryAuth.none(),
                Optional.empty(),
                Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS),
                Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MS),
                DEFAULT_MAX_RETRIES,
                Duration.ofMillis(DEFAULT_RETRY_BACKOFF_MS));
    }

    public SchemaRegistryConfig withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new SchemaRegistryConfig(urls, auth, tls, connectTimeout, requestTimeout, maxRetries, retryBackoff);
    }

    public SchemaRegistryConfig withRetries(int maxRetries, Duration retryBackoff) {
        return new SchemaRegistryConfig(urls, auth, tls, connectTimeout, requestTimeout, maxRetries, retryBackoff);
    }
}
