package org.fgclip2.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What kind of destination an IP address is, for the server-side request forgery checks of {@link AddressPolicy}.
 * Ranges follow the IANA special-purpose address registries. IPv6 forms that embed an IPv4 address (IPv4-mapped
 * {@code ::ffff:a.b.c.d}, the deprecated IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96} and 6to4
 * {@code 2002::/16}) are classified by the IPv4 address they carry, so that {@code [::ffff:127.0.0.1]} is loopback.
 */
public enum AddressClass {
    /** Globally routable unicast: the only class every policy allows. */
    PUBLIC("a public address"),
    /** 127.0.0.0/8, ::1. */
    LOOPBACK("a loopback address"),
    /** 10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (carrier-grade NAT), fc00::/7, fec0::/10. */
    PRIVATE("a private-network address"),
    /** 169.254/16 (where cloud metadata services live, e.g. 169.254.169.254), fe80::/10. */
    LINK_LOCAL("a link-local address (cloud metadata services live there)"),
    /** 0.0.0.0/8 and :: — on Linux a connection to them reaches this host. */
    UNSPECIFIED("an unspecified address (it reaches this host)"),
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST("a multicast address"),
    /**
     * 240.0.0.0/4 and broadcast, and ranges that are never an image server on the internet: 192.0.0.0/24 (protocol
     * assignments), the documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, the benchmark
     * range 198.18/15 and the discard prefix 100::/64.
     */
    RESERVED("a reserved or documentation address");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** A phrase for messages, e.g. "a loopback address". */
    public String description() {
        return description;
    }

    public static AddressClass of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(b);
        }
        throw new IllegalArgumentException("not an IP address: " + address);
    }

    private static AddressClass ofIpv4(byte[] b, int at) {
        int a0 = b[at] & 0xFF;
        int a1 = b[at + 1] & 0xFF;
        int a2 = b[at + 2] & 0xFF;
        if (a0 == 0) {
            return UNSPECIFIED;
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168)
                || (a0 == 100 && (a1 & 0xC0) == 64)) {
            return PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 >= 224 && a0 < 240) {
            return MULTICAST;
        }
        if (a0 >= 240 || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 198 && (a1 & 0xFE) == 18)
                || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] b) {
        if (zeros(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return ofIpv4(b, 12); // IPv4-mapped
        }
        if (zeros(b, 0, 12)) {
            if (zeros(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
                return b[15] == 0 ? UNSPECIFIED : LOOPBACK;
            }
            return ofIpv4(b, 12); // IPv4-compatible (deprecated)
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B && zeros(b, 4, 12)) {
            return ofIpv4(b, 12); // NAT64 well-known prefix
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ofIpv4(b, 2); // 6to4
        }
        int first = b[0] & 0xFF;
        if ((first & 0xFE) == 0xFC || (first == 0xFE && (b[1] & 0xC0) == 0xC0)) {
            return PRIVATE; // unique local fc00::/7, deprecated site-local fec0::/10
        }
        if (first == 0xFE && (b[1] & 0xC0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xFF) {
            return MULTICAST;
        }
        if ((b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8)
                || (b[0] == 0x01 && zeros(b, 1, 8))) {
            return RESERVED; // documentation 2001:db8::/32, discard 100::/64
        }
        return PUBLIC;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
