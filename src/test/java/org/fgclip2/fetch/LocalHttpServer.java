package org.fgclip2.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on a loopback address with a free port, recording every request it receives (path and
 * Host header), for tests that must see what reached the network.
 */
final class LocalHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Seen(String path, String host) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private LocalHttpServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.start();
    }

    static LocalHttpServer http() throws IOException {
        return on(InetAddress.getByName("127.0.0.1"));
    }

    static LocalHttpServer on(InetAddress address) throws IOException {
        return new LocalHttpServer(HttpServer.create(new InetSocketAddress(address, 0), 0));
    }

    static LocalHttpServer https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new LocalHttpServer(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code path} (and nothing below it) with the handler; every request is recorded first. */
    LocalHttpServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            seen.add(new Seen(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Host")));
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                handler.handle(exchange);
            }
        });
        return this;
    }

    LocalHttpServer serve(String path, byte[] body) {
        return route(path, exchange -> respond(exchange, 200, body));
    }

    LocalHttpServer redirect(String path, int status, String location) {
        return route(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
