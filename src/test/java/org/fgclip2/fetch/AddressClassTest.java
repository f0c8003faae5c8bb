package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address classes against the IANA special-purpose registries, at the edges of each range. */
class AddressClassTest {

    @ParameterizedTest
    @CsvSource({
            "8.8.8.8, PUBLIC", "1.1.1.1, PUBLIC", "2606:4700::1111, PUBLIC",
            "126.255.255.255, PUBLIC", "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "128.0.0.0, PUBLIC",
            "::1, LOOPBACK",
            "9.255.255.255, PUBLIC", "10.0.0.0, PRIVATE", "10.255.255.255, PRIVATE", "11.0.0.0, PUBLIC",
            "172.15.255.255, PUBLIC", "172.16.0.0, PRIVATE", "172.31.255.255, PRIVATE", "172.32.0.0, PUBLIC",
            "192.167.255.255, PUBLIC", "192.168.0.0, PRIVATE", "192.168.255.255, PRIVATE", "192.169.0.0, PUBLIC",
            "100.63.255.255, PUBLIC", "100.64.0.0, PRIVATE", "100.127.255.255, PRIVATE", "100.128.0.0, PUBLIC",
            "fc00::1, PRIVATE", "fdff:ffff::1, PRIVATE", "fec0::1, PRIVATE", "fbff::1, PUBLIC",
            "169.253.255.255, PUBLIC", "169.254.0.0, LINK_LOCAL", "169.254.169.254, LINK_LOCAL",
            "169.255.0.0, PUBLIC", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
            "223.255.255.255, PUBLIC", "224.0.0.1, MULTICAST", "239.255.255.255, MULTICAST", "ff02::1, MULTICAST",
            "240.0.0.1, RESERVED", "255.255.255.255, RESERVED", "192.0.2.1, RESERVED", "198.51.100.7, RESERVED",
            "203.0.113.9, RESERVED", "198.18.0.1, RESERVED", "198.19.255.255, RESERVED", "198.20.0.0, PUBLIC",
            "192.0.0.8, RESERVED", "2001:db8::1, RESERVED", "100::1, RESERVED",
            // IPv6 forms carrying an IPv4 address take the class of that address
            "::ffff:127.0.0.1, LOOPBACK", "::ffff:10.1.1.1, PRIVATE", "::ffff:8.8.8.8, PUBLIC",
            "::127.0.0.1, LOOPBACK", "::169.254.169.254, LINK_LOCAL", "64:ff9b::10.0.0.1, PRIVATE",
            "64:ff9b::8.8.8.8, PUBLIC", "2002:7f00:1::, LOOPBACK", "2002:0808:0808::1, PUBLIC"})
    void classifies(String literal, AddressClass expected) throws UnknownHostException {
        assertThat(AddressClass.of(InetAddress.getByName(literal))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"::ffff:127.0.0.1", "::ffff:169.254.169.254"})
    void classifiesMappedAddressesTheJdkKeepsAsIpv6(String literal) throws UnknownHostException {
        // a resolver may hand out the 16-byte form; build it as such instead of letting the JDK shorten it
        byte[] v4 = InetAddress.getByName(literal).getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, v6, 12, 4);
        AddressClass expected = AddressClass.of(InetAddress.getByAddress(v4));

        assertThat(AddressClass.of(Inet6Address.getByAddress(null, v6, -1))).isEqualTo(expected)
                .isNotEqualTo(AddressClass.PUBLIC);
    }
}
