package org.fgclip2.app.run;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fgclip2.app.cli.EnvironmentException;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.serialization.registry.RestSchemaRegistryClient;
import org.fgclip2.serialization.registry.SchemaRegistryConfig;
import org.fgclip2.serialization.registry.SchemaRegistryException;
import org.fgclip2.serialization.registry.SchemaRegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start until the schema registry answers: without it no record can be read or written, and a registry
 * that is missing or refuses our credentials would otherwise show only as failing records once the model runs.
 */
final class RegistryReachability {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryReachability.class);

    private RegistryReachability() {
    }

    static void await(AppConfig config, Duration timeout) throws InterruptedException {
        String urls = config.string("schema.registry.url");
        SchemaRegistryConfig registry = config.avro().registry();
        Optional<String> failure = StartupWait.until("the schema registry at " + urls, timeout,
                budget -> tryOnce(registry, urls, budget));
        if (failure.isPresent()) {
            throw new EnvironmentException("cannot reach the schema registry at " + urls + " within "
                    + timeout.toSeconds() + " s: " + failure.get() + "; check schema.registry.url"
                    + " (FGCLIP2_SCHEMA_REGISTRY_URL) and that the registry is up");
        }
        LOG.info("the schema registry at {} answers", urls);
    }

    private static Optional<String> tryOnce(SchemaRegistryConfig registry, String urls, Duration budget) {
        // each URL once per attempt: the wait between attempts is ours
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.withTimeouts(budget, budget)
                .withRetries(registry.urls().size() - 1, Duration.ZERO));
        try {
            client.globalCompatibility();
            return Optional.empty();
        } catch (SchemaRegistryUnavailableException e) {
            return Optional.of(unreachableUrls(registry.urls()).orElse(e.httpStatus() > 0
                    ? "it answered HTTP " + e.httpStatus() : Reasons.of(e.getCause())));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 0 || e.httpStatus() == 401) {
                // a TLS handshake that fails, or credentials refused: waiting changes neither
                throw new EnvironmentException("the schema registry at " + urls + " refused this client: "
                        + e.getMessage(), e);
            }
            // any other answer (a principal that may not read /config, say) shows that the registry is up
            return Optional.empty();
        }
    }

    /** Why no registry URL takes a connection, if none does. */
    private static Optional<String> unreachableUrls(List<URI> urls) {
        return TcpProbe.whyNoneReachable(urls.stream().map(url -> url.getHost() + ":"
                + (url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80)).toList());
    }
}
