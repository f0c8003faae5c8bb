package org.fgclip2.app.dev;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The sample pictures shipped in the jar (self-made drawings, CC0), served over HTTP on 127.0.0.1 so that the
 * playground exercises the real fetch path (http to loopback is allowed in dev mode) without writing anything into
 * the user's folders.
 */
final class SampleImages implements AutoCloseable {

    static final List<String> NAMES = List.of("cat", "dog", "car", "person", "document", "house");
    private static final String RESOURCE_DIR = "/org/fgclip2/app/dev/samples/";

    private final HttpServer server;

    private SampleImages(HttpServer server) {
        this.server = server;
    }

    static SampleImages serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/samples/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/samples/".length());
                byte[] body = NAMES.contains(name.replace(".png", "")) && name.endsWith(".png") ? read(name) : null;
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return new SampleImages(server);
    }

    private static byte[] read(String file) throws IOException {
        try (InputStream in = SampleImages.class.getResourceAsStream(RESOURCE_DIR + file)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    String uri(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/samples/" + name + ".png";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
