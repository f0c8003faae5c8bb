package org.fgclip2.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The split of an http(s) URI into what is checked, what is connected to and what the server is told. */
class HttpTargetTest {

    @Test
    void pinsTheConnectionToTheAddressAndKeepsTheAuthorityAsHostHeader() throws Exception {
        HttpTarget target = HttpTarget.parse(URI.create("https://Images.Example.:8443/a%20b/cat.jpg?s=1&t=2#top"));

        assertThat(target.host()).isEqualTo("images.example");
        assertThat(target.hostHeader()).isEqualTo("Images.Example.:8443");
        assertThat(target.hostIsLiteral()).isFalse();
        assertThat(target.pinnedTo(InetAddress.getByName("192.0.2.7")))
                .isEqualTo(URI.create("https://192.0.2.7:8443/a%20b/cat.jpg?s=1&t=2"));
        assertThat(target.pinnedTo(InetAddress.getByName("2001:db8::7")))
                .isEqualTo(URI.create("https://[2001:db8:0:0:0:0:0:7]:8443/a%20b/cat.jpg?s=1&t=2"));
    }

    @Test
    void fillsInTheDefaultPortAndAnEmptyPath() throws Exception {
        HttpTarget target = HttpTarget.parse(URI.create("http://[2001:DB8::1]"));

        assertThat(target.host()).isEqualTo("2001:db8::1");
        assertThat(target.hostIsLiteral()).isTrue();
        assertThat(target.port()).isEqualTo(80);
        assertThat(target.hostHeader()).isEqualTo("[2001:DB8::1]");
        assertThat(target.pinnedTo(InetAddress.getByName("2001:db8::1")))
                .isEqualTo(URI.create("http://[2001:db8:0:0:0:0:0:1]:80/"));
    }
}
