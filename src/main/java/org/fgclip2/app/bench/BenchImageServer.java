package org.fgclip2.app.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fgclip2.concurrent.DaemonThreads;

/**
 * An HTTP image server on 127.0.0.1 for {@code bench-pipeline}: either quick, serving a folder's files, or a host on
 * a bad day that announces a large image and sends one byte a second. One thread per connection, so a trickling
 * answer delays no other.
 */
final class BenchImageServer implements AutoCloseable {

    private static final int TRICKLING_LENGTH = 1 << 20;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("bench-image-server"));

    private BenchImageServer(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException e) {
                // the client went away (a fetch that timed out or was cancelled)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** Serves {@code /NAME} from the file NAME in {@code folder}. */
    static BenchImageServer serving(Path folder) throws IOException {
        return new BenchImageServer(exchange -> {
            Path file = folder.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** Answers every path with headers at once, then a body at one byte a second, until the client gives up. */
    static BenchImageServer trickling() throws IOException {
        return new BenchImageServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, TRICKLING_LENGTH);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < TRICKLING_LENGTH; i++) {
                out.write(0xFF);
                out.flush();
                Thread.sleep(1000);
            }
        });
    }

    /** The URI of {@code path} ("/a.jpg") on this server. */
    String uri(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
