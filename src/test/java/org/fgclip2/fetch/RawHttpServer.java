package org.fgclip2.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers every connection, each on its own thread, with raw bytes of its own choosing:
 * framings {@code com.sun.net.httpserver} will not produce (a body delimited by closing the connection, a declared
 * length that differs from the bytes sent) and pacing it will not either (a body that trickles), written by a
 * {@link Responder}. It counts the responses it is writing at once, the measure of a client's concurrency.
 */
final class RawHttpServer implements AutoCloseable {

    /** Writes the whole response to a connection whose request headers have been read. */
    interface Responder {
        void respond(String path, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger responding = new AtomicInteger();
    private final AtomicInteger mostResponding = new AtomicInteger();

    RawHttpServer(Responder responder) throws IOException {
        socket = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    open.add(connection);
                    connections.incrementAndGet();
                    Thread handler = new Thread(() -> serve(connection, responder), "raw-http-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    // the server closed
                }
            }
        }, "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket connection, Responder responder) {
        try (connection) {
            String path = readRequestPath(connection.getInputStream());
            mostResponding.accumulateAndGet(responding.incrementAndGet(), Math::max);
            try {
                responder.respond(path, connection.getOutputStream());
            } finally {
                responding.decrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the server closed
        } finally {
            open.remove(connection);
        }
    }

    /** A response whose body is {@code body}, delimited only by closing the connection. */
    static Responder untilClose(byte[] body) {
        return (path, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        };
    }

    /** Headers announcing {@code length} bytes at once, then one byte every {@code every}: a host on a bad day. */
    static Responder trickling(int length, Duration every) {
        return (path, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < length; i++) {
                out.write(i);
                out.flush();
                Thread.sleep(every.toMillis());
            }
        };
    }

    /** Sends nothing until {@code release} opens, then {@code body}. */
    static Responder holding(CountDownLatch release, byte[] body) {
        return (path, out) -> {
            release.await();
            untilClose(body).respond(path, out);
        };
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Responses being written now. */
    int responding() {
        return responding.get();
    }

    /** The most responses ever written at once. */
    int mostResponding() {
        return mostResponding.get();
    }

    private static String readRequestPath(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended before its headers");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String requestLine = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Stops accepting and closes every open connection, which ends the responders' writes. */
    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : open) {
            connection.close();
        }
    }
}
