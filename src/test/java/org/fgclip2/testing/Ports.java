package org.fgclip2.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Checks on loopback ports, e.g. that a server released its listener. */
public final class Ports {

    private Ports() {
    }

    /** Whether a server socket can bind {@code port} on the loopback address right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
