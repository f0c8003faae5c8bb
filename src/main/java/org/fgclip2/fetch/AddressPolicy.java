package org.fgclip2.fetch;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which network destinations an HTTP(S) fetch may reach: the guard against server-side request forgery, where
 * an event's URI makes this service fetch from its own network (a database console, the cloud metadata service
 * at 169.254.169.254) instead of the internet. Public addresses are always allowed; the classes of
 * {@link AddressClass} that are not public are refused unless a flag allows them; unspecified, multicast and
 * reserved addresses are always refused. A redirect target is checked like the first URI.
 *
 * @param allowLoopback  allow 127.0.0.0/8 and ::1 (development setups with a local image server)
 * @param allowPrivate   allow private networks: RFC 1918, carrier-grade NAT 100.64/10, IPv6 unique-local
 * @param allowLinkLocal allow 169.254/16 and fe80::/10; leave off unless you know why: the cloud metadata service
 *                       (instance credentials) lives there
 * @param allowedHosts   if not empty, the only hosts that may be fetched: exact names or IP literals as written
 *                       in URIs (case-insensitive), or {@code *.example.com} for every subdomain of example.com
 *                       (not example.com itself). The address checks still apply to the addresses these names
 *                       resolve to, so an internal image server needs both its name here and
 *                       {@code allowPrivate}.
 */
public record AddressPolicy(boolean allowLoopback, boolean allowPrivate, boolean allowLinkLocal,
                            Set<String> allowedHosts) {

    public AddressPolicy {
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        allowedHosts = allowedHosts.stream().map(AddressPolicy::normalizeEntry).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the URI host (lower case, no brackets, no trailing dot) passes the allow-list. */
    boolean hostAllowed(String host) {
        if (allowedHosts.isEmpty() || allowedHosts.contains(host)) {
            return true;
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if (allowedHosts.contains("*" + host.substring(dot))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection to this address is allowed. */
    boolean addressAllowed(InetAddress address) {
        return switch (AddressClass.of(address)) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            case LINK_LOCAL -> allowLinkLocal;
            case UNSPECIFIED, MULTICAST, RESERVED -> false;
        };
    }

    /** The setting that would allow this class of address, for messages; empty when none does. */
    static String settingFor(AddressClass addressClass) {
        return switch (addressClass) {
            case LOOPBACK -> "allowLoopback";
            case PRIVATE -> "allowPrivate";
            case LINK_LOCAL -> "allowLinkLocal";
            default -> "";
        };
    }

    private static String normalizeEntry(String entry) {
        String host = entry.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*") || host.indexOf('*', 1) >= 0
                || (host.startsWith("*") && !host.startsWith("*."))) {
            throw new IllegalArgumentException("allowed host '" + entry
                    + "' is not a host name, an IP literal or *.domain");
        }
        return host;
    }
}
