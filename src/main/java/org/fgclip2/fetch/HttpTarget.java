package org.fgclip2.fetch;

import static org.fgclip2.fetch.FetchException.Category.BAD_URI;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An {@code http:} or {@code https:} URI checked for form, split into what the request needs: the host to check and
 * resolve, the {@code Host} header, and the URI to send once the host has been pinned to an address.
 *
 * @param uri        the URI as given (for messages)
 * @param https      whether TLS is used
 * @param host       lower case, without IPv6 brackets or a trailing dot: what the allow-list and TLS see
 * @param port       the explicit port or the scheme's default
 * @param hostHeader the {@code Host} header: the URI's authority as written
 * @param rawPathAndQuery what follows the authority, still percent-encoded, fragment dropped; "/" when empty
 */
record HttpTarget(URI uri, boolean https, String host, int port, String hostHeader, String rawPathAndQuery) {

    // WHATWG URL: a host whose last label is a number is an IPv4 address, parsed with decimal, octal and hex parts
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?i)(?:^|.*\\.)(?:\\d+|0x[0-9a-f]*)\\.?$");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    static HttpTarget parse(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http(s) URI: " + uri);
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new FetchException(BAD_URI, "URI " + uri + " has no host; write it as " + scheme + "://host/path");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchException(BAD_URI, "URI " + uri
                    + " carries credentials (user@host); credentials in image URIs are not supported");
        }
        String rawHost = uri.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            throw new FetchException(BAD_URI, "URI " + uri + " has no valid host name in '" + uri.getRawAuthority()
                    + "' (host names may hold letters, digits, '-' and '.')");
        }
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        } else {
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (NUMERIC_LAST_LABEL.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
                throw new FetchException(BAD_URI, "URI " + uri + " writes an IPv4 address in a non-standard form ('"
                        + rawHost + "'); parsers disagree on such forms (decimal, octal, hex, short), "
                        + "write it as a dotted quad such as 192.0.2.1");
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new HttpTarget(uri, scheme.equals("https"), host, port, uri.getRawAuthority(), path + query);
    }

    /**
     * Scheme, host and port, such as {@code https://cdn.example:443}: what the per-host fetch limit counts by. The
     * host is normalised (lower case, no trailing dot) and the port always written, so spellings of one server
     * share one count.
     */
    String origin() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (https ? "https://" : "http://") + h + ":" + port;
    }

    /** Whether the host is written as an IP address rather than a name. */
    boolean hostIsLiteral() {
        return host.indexOf(':') >= 0 || DOTTED_QUAD.matcher(host).matches();
    }

    /** The URI with the host replaced by the address it was checked against, so the connection goes there. */
    URI pinnedTo(InetAddress address) {
        String literal = address.getHostAddress();
        if (address instanceof Inet6Address) {
            literal = "[" + literal.replace("%", "%25") + "]";
        }
        return URI.create((https ? "https://" : "http://") + literal + ":" + port + rawPathAndQuery);
    }
}
