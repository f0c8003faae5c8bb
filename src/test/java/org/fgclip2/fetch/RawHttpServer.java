package org.fgclip2.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers every connection with raw bytes of its own choosing: framings
 * {@code com.sun.net.httpserver} will not produce (a body delimited by closing the connection, a declared length
 * that differs from the bytes sent), written by a {@link Responder}.
 */
final class RawHttpServer implements AutoCloseable {

    /** Writes the whole response to a connection whose request headers have been read. */
    interface Responder {
        void respond(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();

    RawHttpServer(Responder responder) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connections.incrementAndGet();
                    skipRequestHeaders(connection.getInputStream());
                    responder.respond(connection.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the client went away or the server closed: next connection
                }
            }
        }, "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A response whose body is {@code body}, delimited only by closing the connection. */
    static Responder untilClose(byte[] body) {
        return out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        };
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private static void skipRequestHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended before its headers");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
