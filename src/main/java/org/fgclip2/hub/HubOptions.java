package org.fgclip2.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to download from the Hugging Face hub.
 *
 * @param endpoint       the hub, e.g. {@code https://huggingface.co}; files are fetched from
 *                       {@code {endpoint}/{owner}/{name}/resolve/{revision}/{file}}
 * @param cacheRoot      the hub cache folder shared with Python's {@code huggingface_hub}
 *                       (it holds {@code models--{owner}--{name}} folders)
 * @param token          access token sent as {@code Authorization: Bearer} to the endpoint's host only; null when
 *                       anonymous
 * @param offline        never touch the network, use only what is in the cache
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param readTimeout    how long to wait for response headers, and for the next bytes of a body
 * @param maxAttempts    tries per request before giving up on transient failures (5xx, 429, dropped connections);
 *                       a download resumes where the previous try stopped
 * @param firstRetryDelay the pause before the second try; it doubles for each further try
 */
public record HubOptions(
        URI endpoint,
        Path cacheRoot,
        String token,
        boolean offline,
        Duration connectTimeout,
        Duration readTimeout,
        int maxAttempts,
        Duration firstRetryDelay) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_FIRST_RETRY_DELAY = Duration.ofSeconds(1);

    // The values huggingface_hub accepts as "true" for its boolean variables.
    private static final Set<String> TRUE_VALUES = Set.of("1", "on", "yes", "true");

    public HubOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheRoot, "cacheRoot");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(
                    "the hub endpoint (HF_ENDPOINT) must be an http(s) URL such as " + DEFAULT_ENDPOINT + ", got "
                            + endpoint);
        }
        String text = endpoint.toString();
        if (text.endsWith("/")) {
            endpoint = URI.create(text.replaceAll("/+$", ""));
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /**
     * Options from the environment, with the meaning {@code huggingface_hub} gives these variables:
     * <ul>
     *   <li>{@code HF_ENDPOINT}: the hub, default {@code https://huggingface.co};
     *   <li>{@code HF_HUB_CACHE}: the cache folder, default {@code $HF_HOME/hub};
     *   <li>{@code HF_HOME}: default {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface};
     *   <li>{@code HF_TOKEN}: the access token; else the file {@code HF_TOKEN_PATH}, default
     *       {@code $HF_HOME/token} (written by {@code huggingface-cli login});
     *   <li>{@code HF_HUB_OFFLINE}: {@code 1}, {@code true}, {@code yes} or {@code on} to use only the cache.
     * </ul>
     * Timeouts and retries take the {@code DEFAULT_*} values of this class.
     */
    public static HubOptions fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static HubOptions fromEnvironment(Map<String, String> env, Path userHome) {
        Path hfHome = path(env, "HF_HOME", userHome)
                .orElseGet(() -> path(env, "XDG_CACHE_HOME", userHome)
                        .orElse(userHome.resolve(".cache"))
                        .resolve("huggingface"));
        Path cacheRoot = path(env, "HF_HUB_CACHE", userHome).orElse(hfHome.resolve("hub"));
        String token = value(env, "HF_TOKEN");
        if (token == null) {
            token = readTokenFile(path(env, "HF_TOKEN_PATH", userHome).orElse(hfHome.resolve("token")));
        }
        String endpoint = value(env, "HF_ENDPOINT");
        String offline = value(env, "HF_HUB_OFFLINE");
        return new HubOptions(
                endpoint == null ? DEFAULT_ENDPOINT : URI.create(endpoint),
                cacheRoot,
                token,
                offline != null && TRUE_VALUES.contains(offline.toLowerCase(Locale.ROOT)),
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_FIRST_RETRY_DELAY);
    }

    /** Keeps the token out of logs. */
    @Override
    public String toString() {
        return "HubOptions[endpoint=" + endpoint + ", cacheRoot=" + cacheRoot
                + ", token=" + (token == null ? "none" : "set") + ", offline=" + offline
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", maxAttempts=" + maxAttempts + ", firstRetryDelay=" + firstRetryDelay + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Optional<Path> path(Map<String, String> env, String name, Path userHome) {
        String v = value(env, name);
        if (v == null) {
            return Optional.empty();
        }
        // Python expands a leading "~"; shells usually already have, but a value from a .env file may not.
        if (v.equals("~") || v.startsWith("~/")) {
            return Optional.of(userHome.resolve(v.substring(Math.min(2, v.length()))));
        }
        return Optional.of(Path.of(v));
    }

    private static String readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hugging Face token file " + file
                    + "; fix its permissions or set HF_TOKEN", e);
        }
    }
}
