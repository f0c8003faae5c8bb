package org.fgclip2.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two requests the hub needs: HEAD for a file's commit, ETag and size, and GET for its bytes. Knows the hub's
 * headers, its redirects (relative ones for renamed repositories, absolute ones to the CDN that serves LFS files) and
 * its error codes, and turns them into messages that say what to do.
 */
final class HubClient {

    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9._-]+");

    private final HubOptions options;
    private final DownloadProgress progress;
    private final HttpClient http;

    HubClient(HubOptions options, DownloadProgress progress) {
        this.options = options;
        this.progress = progress;
        // HTTP/1.1: one stream per download is all we need, and it avoids HTTP/2 flow-control stalls on big bodies
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The file's metadata, or empty when the hub answers that the repository has no such file. Transient failures
     * are retried; a refused connection is not, it means there is no network.
     */
    Optional<FileMetadata> metadata(RemoteFile file) throws EndpointUnreachableException {
        HttpResponse<Void> response = headWithRetries(file);
        int status = response.statusCode();
        String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
        if (status == 404 && !errorCode.equals("RepoNotFound") && !errorCode.equals("RevisionNotFound")) {
            return Optional.empty();
        }
        if (status >= 400) {
            throw error(file, response);
        }
        return Optional.of(parseMetadata(file, response));
    }

    /**
     * GET from byte {@code offset} on, following redirects; the Authorization header goes to the endpoint's host
     * only. The caller closes the body.
     */
    HttpResponse<InputStream> get(RemoteFile file, long offset) throws IOException {
        URI uri = file.uri(options.endpoint());
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = request(uri).GET();
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            response.body().close();
            uri = redirectTarget(file, uri, location.get(), hop);
        }
    }

    /** For a GET answered with an error status: throws the explanation, or returns the failure to retry on. */
    IOException retryableFailure(RemoteFile file, HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the status is what matters
        }
        int status = response.statusCode();
        if (TRANSIENT_STATUSES.contains(status)) {
            return new IOException("HTTP " + status + " from " + response.uri().getHost());
        }
        throw error(file, response);
    }

    private HttpResponse<Void> headWithRetries(RemoteFile file) throws EndpointUnreachableException {
        for (int attempt = 1; ; attempt++) {
            String reason;
            try {
                HttpResponse<Void> response = headFollowingRelativeRedirects(file);
                if (!TRANSIENT_STATUSES.contains(response.statusCode()) || attempt == options.maxAttempts()) {
                    return response;
                }
                reason = "HTTP " + response.statusCode();
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw new EndpointUnreachableException(describe(e), e);
            } catch (IOException e) {
                if (attempt == options.maxAttempts()) {
                    throw new EndpointUnreachableException(describe(e), e);
                }
                reason = describe(e);
            }
            progress.retrying(file.name(), attempt + 1, options.maxAttempts(), reason);
            Retries.pause(options, attempt);
        }
    }

    // Absolute redirects lead to the CDN holding an LFS file: that is where the GET goes, not something to HEAD.
    private HttpResponse<Void> headFollowingRelativeRedirects(RemoteFile file) throws IOException {
        URI uri = file.uri(options.endpoint());
        for (int hop = 0; ; hop++) {
            HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty() || hasHost(location.get())) {
                return response;
            }
            uri = redirectTarget(file, uri, location.get(), hop);
        }
    }

    private FileMetadata parseMetadata(RemoteFile file, HttpResponse<Void> response) {
        String commit = response.headers().firstValue("X-Repo-Commit").orElse("");
        if (!RepoId.isCommitHash(commit)) {
            throw new ModelResolutionException(file.uri(options.endpoint()) + " did not answer like a Hugging Face "
                    + "hub (no commit hash in X-Repo-Commit); check HF_ENDPOINT (" + options.endpoint() + ")");
        }
        String etag = response.headers().firstValue("X-Linked-Etag")
                .or(() -> response.headers().firstValue("ETag"))
                .map(HubClient::normalizeEtag)
                .orElse("");
        if (!SAFE_ETAG.matcher(etag).matches()) {
            throw new ModelResolutionException("the hub gave no usable ETag for " + file + " (\"" + etag + "\")");
        }
        long size = response.headers().firstValue("X-Linked-Size")
                .or(() -> response.headers().firstValue("Content-Length"))
                .map(HubClient::parseSize)
                .orElse(-1L);
        return new FileMetadata(commit, etag, size);
    }

    private static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private ModelResolutionException error(RemoteFile file, HttpResponse<?> response) {
        int status = response.statusCode();
        String repo = file.repo().id();
        String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
        String hubSays = response.headers().firstValue("X-Error-Message").map(m -> " The hub says: " + m).orElse("");
        if (!sameOrigin(response.uri())) {
            return new ModelResolutionException("HTTP " + status + " from " + response.uri().getHost()
                    + " while downloading " + file + ". Try again later.");
        }
        if (status == 401 || status == 403) {
            if (errorCode.equals("GatedRepo")) {
                return new ModelResolutionException(repo + " is a gated model: accept its conditions at "
                        + options.endpoint() + "/" + repo + " while logged in, then set HF_TOKEN to an access token of "
                        + "that account (" + options.endpoint() + "/settings/tokens) or run `huggingface-cli login`."
                        + hubSays);
            }
            return new ModelResolutionException("access to " + repo + " was refused (HTTP " + status + "): the "
                    + "repository may not exist, or be private or gated, or the token is "
                    + (options.token() == null ? "missing (none was sent)" : "invalid or lacks access")
                    + ". Set HF_TOKEN to an access token from " + options.endpoint() + "/settings/tokens, or run "
                    + "`huggingface-cli login`." + hubSays);
        }
        if (status == 404) {
            if (errorCode.equals("RepoNotFound")) {
                return new ModelResolutionException(repo + " is neither a local folder nor a repository on "
                        + options.endpoint() + "." + hubSays);
            }
            if (errorCode.equals("RevisionNotFound")) {
                return new ModelResolutionException("revision \"" + file.revision() + "\" not found in " + repo
                        + " on " + options.endpoint() + "." + hubSays);
            }
            return new ModelResolutionException(file.name() + " not found in " + repo + " at revision "
                    + file.revision() + "; an FG-CLIP 2 checkpoint needs it." + hubSays);
        }
        return new ModelResolutionException("HTTP " + status + " from " + options.endpoint() + " for " + file
                + "." + hubSays);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.readTimeout());
        // The token is for the hub; a CDN gets a signed URL instead and must never see it.
        if (options.token() != null && sameOrigin(uri)) {
            request.header("Authorization", "Bearer " + options.token());
        }
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(request.build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelResolutionException("interrupted while talking to " + options.endpoint(), e);
        }
    }

    private boolean sameOrigin(URI uri) {
        URI endpoint = options.endpoint();
        return endpoint.getScheme().equalsIgnoreCase(uri.getScheme())
                && endpoint.getHost().equalsIgnoreCase(uri.getHost())
                && port(endpoint) == port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean hasHost(String location) {
        try {
            return URI.create(location).getHost() != null;
        } catch (IllegalArgumentException e) {
            return true; // not ours to follow
        }
    }

    private static URI redirectTarget(RemoteFile file, URI from, String location, int hop) {
        if (hop == MAX_REDIRECTS) {
            throw new ModelResolutionException("more than " + MAX_REDIRECTS + " redirects for " + file);
        }
        try {
            return from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new ModelResolutionException("invalid redirect for " + file + ": " + location, e);
        }
    }

    /** A network failure in words a user understands; the JDK's messages are often empty. */
    static String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within the read timeout";
        }
        if (e instanceof ConnectException) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UnresolvedAddressException) {
                    return "unknown host";
                }
            }
            return e.getMessage() == null ? "connection refused" : e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
