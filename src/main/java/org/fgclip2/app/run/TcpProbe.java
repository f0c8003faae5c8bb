package org.fgclip2.app.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;
import org.fgclip2.app.cli.Reasons;

/**
 * Why TCP connections to a service cannot be made: the plainest reason an operator can act on ("unknown host",
 * "Connection refused"), which clients that simply retry (Kafka's) do not report.
 */
final class TcpProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private TcpProbe() {
    }

    /**
     * Empty when at least one of the addresses takes a connection, else why none does.
     *
     * @param addresses host:port each
     */
    static Optional<String> whyNoneReachable(List<String> addresses) {
        List<String> reasons = new ArrayList<>();
        for (String address : addresses) {
            Optional<String> why = whyNotReachable(Utils.getHost(address), Utils.getPort(address));
            if (why.isEmpty()) {
                return why;
            }
            reasons.add(addresses.size() == 1 ? why.get() : address + ": " + why.get());
        }
        return Optional.of(String.join(", ", reasons));
    }

    private static Optional<String> whyNotReachable(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return Optional.of("unknown host " + host);
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) TIMEOUT.toMillis());
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of("no connection within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return Optional.of(Reasons.of(e));
        }
    }
}
