package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.BAD_URI;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * One HTTPS client per host name, so that a request sent to a pinned IP address still presents and verifies the
 * host's name. The JDK client sets TLS server name indication only from the request URI's host, which is an IP
 * literal after pinning; a client whose TLS parameters carry the name as SNI makes the JDK's trust manager check
 * the certificate against that name (it verifies the SNI name first). Each client has its own
 * {@link SSLContext}, so a TLS session negotiated for one name is never resumed for another name at the same
 * address.
 *
 * <p>The least recently used clients beyond {@value #MAX_CLIENTS} are dropped; Java 17's client has no close
 * method, so a dropped client's selector thread ends when the client is garbage collected.
 */
final class TlsClients {

    private static final int MAX_CLIENTS = 32;

    private final Duration connectTimeout;
    private final TrustManager[] trust;
    private final Map<String, HttpClient> byHost = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /** @param trust the trust managers for server certificates; null for the JVM's default trust store */
    TlsClients(Duration connectTimeout, TrustManager[] trust) {
        this.connectTimeout = connectTimeout;
        this.trust = trust;
    }

    synchronized HttpClient forHost(HttpTarget target) {
        return byHost.computeIfAbsent(target.host(), host -> create(target));
    }

    private HttpClient create(HttpTarget target) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot create a TLS context: " + e, e);
        }
        SSLParameters parameters = context.getDefaultSSLParameters();
        if (!target.hostIsLiteral()) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            } catch (IllegalArgumentException e) {
                throw new FetchException(BAD_URI, "URI " + target.uri() + " has a host name TLS cannot carry: "
                        + e.getMessage(), e);
            }
        }
        return HttpFetcher.clientBuilder(connectTimeout).sslContext(context).sslParameters(parameters).build();
    }
}
