package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.FORBIDDEN;
import static org.fgclip2.fetch.FetchException.Category.HTTP_ERROR;
import static org.fgclip2.fetch.FetchException.Category.IO_ERROR;
import static org.fgclip2.fetch.FetchException.Category.TIMEOUT;
import static org.fgclip2.fetch.FetchException.Category.TOO_LARGE;
import static org.fgclip2.fetch.FetchException.Category.UNREACHABLE;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.fgclip2.concurrent.DaemonThreads;

/**
 * {@code http:} and {@code https:} URIs under a {@link FetchPolicy}, redirects followed by hand so that every hop
 * is checked like the first. The rules live here; a fetch in progress is an {@link HttpFetch}, which holds no
 * thread while it waits for its turn ({@link FetchGate}), a DNS answer ({@link Resolver}) or the server.
 *
 * <p><b>DNS rebinding.</b> Each hop's host is resolved once and every address it resolves to is checked (one
 * refused address refuses the name: a name that mixes public and internal addresses is a rebinding sign); the
 * request is then sent to the first address written as an IP literal, with the original {@code Host} header (and, for
 * HTTPS, the host name as TLS server name, verified against the certificate: see {@link TlsClients}). A name
 * that answers a harmless address to the check and an internal one to the connection therefore cannot redirect
 * the connection. The JDK refuses a user-set {@code Host} header unless the system property
 * {@code jdk.httpclient.allowRestrictedHeaders} lists it; this class adds {@code host} to that property when it
 * is loaded, which works only if no other code has used {@code java.net.http} before: call
 * {@link ImageFetcher#prepareJvm()} first thing in {@code main}, or start the JVM with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host}. HTTP/1.1 is used throughout, since HTTP/2 would send
 * the IP literal as {@code :authority}.
 *
 * <p>Limits: a host's other addresses are not tried when the first does not answer; a DNS lookup that hangs fails
 * its fetch at the deadline but holds its lookup thread until the JVM's resolver gives up; no proxy is used, the
 * checks are about direct connections.
 */
final class HttpFetcher {

    private static final String RESTRICTED_HEADERS_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";
    private static final String USER_AGENT = "fgclip2-streams image fetcher";

    static {
        allowHostHeader();
    }

    /** Adds {@code host} to the JDK property; effective only before the JDK HTTP client is first used. */
    static void allowHostHeader() {
        String allowed = System.getProperty(RESTRICTED_HEADERS_PROPERTY, "");
        if (Arrays.stream(allowed.split(",")).noneMatch(name -> name.strip().equalsIgnoreCase("host"))) {
            System.setProperty(RESTRICTED_HEADERS_PROPERTY, allowed.isBlank() ? "host" : allowed + ",host");
        }
    }

    private final FetchPolicy policy;
    private final HttpClient plain;
    private final TlsClients tls;
    private final ScheduledExecutorService timer;
    private final FetchGate gate;
    private final Resolver resolver = new Resolver();

    /** @param trust trust managers for HTTPS server certificates; null for the JVM's default trust store */
    HttpFetcher(FetchPolicy policy, TrustManager[] trust) {
        try {
            HttpRequest.newBuilder().header("Host", "example.com");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK HTTP client refuses the Host header the image fetcher needs to "
                    + "pin connections to checked addresses; start the JVM with -D" + RESTRICTED_HEADERS_PROPERTY
                    + "=host or call ImageFetcher.prepareJvm() first thing in main (other code used java.net.http "
                    + "before the first ImageFetcher was created)", e);
        }
        this.policy = policy;
        this.plain = clientBuilder(policy.connectTimeout()).build();
        this.tls = new TlsClients(policy.connectTimeout(), trust);
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.numbered("fgclip2-fetch-timer-"));
        deadlines.setRemoveOnCancelPolicy(true);
        deadlines.setKeepAliveTime(30, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
        this.timer = deadlines;
        this.gate = new FetchGate(policy.limits(), timer);
    }

    static HttpClient.Builder clientBuilder(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY);
    }

    /** The bytes at {@code uri}, or a {@link FetchException}; cancelling the future stops the fetch. */
    CompletableFuture<byte[]> fetch(URI uri) {
        HttpTarget target;
        try {
            target = HttpTarget.parse(uri);
        } catch (FetchException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new HttpFetch(this, uri).start(target);
    }

    FetchPolicy policy() {
        return policy;
    }

    FetchGate gate() {
        return gate;
    }

    Resolver resolver() {
        return resolver;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** The allow-list check of a hop, before it waits for a turn or a DNS answer. */
    void checkHost(HttpTarget target, String where) {
        if (!policy.addresses().hostAllowed(target.host())) {
            throw new FetchException(FORBIDDEN, where + ": host '" + target.host()
                    + "' is not in the fetch policy's allowed hosts (allowedHosts)");
        }
    }

    /** The address to connect to, after the checks of every address the host resolved to. */
    InetAddress admit(HttpTarget target, InetAddress[] resolved, String where) {
        for (InetAddress address : resolved) {
            if (!policy.addresses().addressAllowed(address)) {
                AddressClass addressClass = AddressClass.of(address);
                String setting = AddressPolicy.settingFor(addressClass);
                String what = target.hostIsLiteral()
                        ? address.getHostAddress() + " is " + addressClass.description()
                        : "host '" + target.host() + "' resolves to " + address.getHostAddress() + ", "
                                + addressClass.description();
                throw new FetchException(FORBIDDEN, where + ": " + what + ", which the fetch policy refuses"
                        + (setting.isEmpty() ? "" : " (" + setting + " would allow it)"));
            }
        }
        return resolved[0];
    }

    FetchException unresolved(HttpTarget target, String where, Throwable cause) {
        if (cause instanceof UnknownHostException) {
            return new FetchException(UNREACHABLE, where + ": host '" + target.host() + "' does not resolve", cause);
        }
        return new FetchException(UNREACHABLE, where + ": looking up host '" + target.host() + "' failed: " + cause,
                cause);
    }

    HttpRequest request(HttpTarget target, InetAddress address, long remainingNanos) {
        return HttpRequest.newBuilder(target.pinnedTo(address))
                .timeout(Duration.ofNanos(remainingNanos))
                .header("Host", target.hostHeader())
                .header("User-Agent", USER_AGENT)
                .header("Accept", "image/*")
                .GET()
                .build();
    }

    HttpClient client(HttpTarget target) {
        return target.https() ? tls.forHost(target) : plain;
    }

    LimitedBody bodyFor(HttpResponse.ResponseInfo info) {
        if (info.statusCode() < 200 || info.statusCode() >= 300) {
            return LimitedBody.discarding();
        }
        OptionalLong declared;
        try {
            declared = info.headers().firstValueAsLong("Content-Length");
        } catch (NumberFormatException e) {
            declared = OptionalLong.empty(); // the bytes are counted anyway
        }
        if (declared.isPresent() && declared.getAsLong() > policy.maxBytes()) {
            return LimitedBody.refusing(declared.getAsLong());
        }
        return LimitedBody.upTo(policy.maxBytes());
    }

    HttpTarget redirectTarget(HttpTarget from, HttpResponse<?> response, String where) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new FetchException(
                HTTP_ERROR, where + " redirects (HTTP " + response.statusCode() + ") without a Location header"));
        URI next;
        try {
            next = from.uri().resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(HTTP_ERROR, where + " redirects to an invalid URI '" + location + "'", e);
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(FORBIDDEN, where + " redirects to " + next
                    + "; only http and https redirects are followed");
        }
        return HttpTarget.parse(next);
    }

    FetchException timeout(String where) {
        return new FetchException(TIMEOUT, where + " did not complete within " + policy.readTimeout().toMillis()
                + " ms (readTimeout)");
    }

    FetchException failure(HttpTarget target, InetAddress address, String where, Throwable cause) {
        String peer = target.host() + ":" + target.port() + " (" + address.getHostAddress() + ")";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LimitedBody.TooLarge) {
                return new FetchException(TOO_LARGE, where + ": the response " + t.getMessage()
                        + ", above the limit of " + policy.maxBytes() + " bytes (maxBytes)", cause);
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new FetchException(TIMEOUT, where + ": no connection to " + peer + " within "
                        + policy.connectTimeout().toMillis() + " ms (connectTimeout)", cause);
            }
            if (t instanceof HttpTimeoutException) {
                return timeout(where);
            }
            if (t instanceof ConnectException) {
                return new FetchException(UNREACHABLE, where + ": cannot connect to " + peer + ": "
                        + (t.getMessage() == null ? "connection refused" : t.getMessage()), cause);
            }
            if (t instanceof SSLException) {
                return new FetchException(UNREACHABLE, where + ": TLS with " + peer + " failed: " + t.getMessage(),
                        cause);
            }
        }
        return new FetchException(IO_ERROR, where + ": reading from " + peer + " failed: " + cause, cause);
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
