package org.fgclip2.app.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.concurrent.DaemonThreads;
import org.fgclip2.topology.LabelingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP endpoint an operator and a load balancer talk to:
 * <ul>
 *   <li>{@code GET /health/live}: 200 unless the streams have failed for good;</li>
 *   <li>{@code GET /health/ready}: 200 once the model is loaded and the streams are RUNNING, 503 with the reason
 *       whenever the instance cannot label (see {@link LabelingApp#notReadyBecause()});</li>
 *   <li>{@code GET /metrics}: Prometheus text format (Kafka Streams' metrics and ours);</li>
 *   <li>{@code GET /labels/{labelSet}}: the labels of a set with their prompt hashes, from the global caption
 *       store (every instance has it in full);</li>
 *   <li>{@code GET /images/{id}/labels}: the latest labels of an image from the recent-results store, asked of
 *       the instance that owns the image's partition (forwarded there when {@code http.advertised-address} is
 *       set on every instance).</li>
 * </ul>
 */
final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final LabelingApp app;
    private final HostInfo self;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OpsServer(HttpServer server, LabelingApp app, HostInfo self) {
        this.server = server;
        this.app = app;
        this.self = self;
    }

    /** Starts the endpoint on {@code http.host}:{@code http.port}, or returns null when the port is -1. */
    static OpsServer start(AppConfig config, LabelingApp app) throws IOException {
        int port = config.integer("http.port");
        if (port < 0) {
            return null;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(config.string("http.host"), port), 32);
        HostInfo self = config.get("http.advertised-address").map(HostInfo::buildFromEndpoint).orElse(null);
        OpsServer ops = new OpsServer(server, app, self);
        server.createContext("/health/live", ex -> ops.health(ex, app.alive() ? Optional.empty()
                : Optional.of(app.failure().orElse("Kafka Streams is " + app.streams().state()))));
        server.createContext("/health/ready", ex -> ops.health(ex, app.notReadyBecause()));
        server.createContext("/metrics", ops::metrics);
        server.createContext("/labels/", ops::labels);
        server.createContext("/images/", ops::imageLabels);
        server.setExecutor(Executors.newFixedThreadPool(2, DaemonThreads.named("fgclip2-http")));
        server.start();
        LOG.info("HTTP endpoint on {}:{} (/health/live, /health/ready, /metrics, /labels/{{set}}, /images/{{id}}/labels)",
                config.string("http.host"), server.getAddress().getPort());
        return ops;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange ex, Optional<String> problem) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", problem.isEmpty() ? "UP" : "DOWN");
        problem.ifPresent(reason -> body.put("reason", reason));
        body.put("streams", app.streams().state().name());
        body.put("model", app.inference().info().id());
        send(ex, problem.isEmpty() ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
    }

    private void metrics(HttpExchange ex) throws IOException {
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                app.metrics().scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void labels(HttpExchange ex) throws IOException {
        String set = decode(ex.getRequestURI().getRawPath().substring("/labels/".length()));
        if (set.isEmpty() || set.contains("/")) {
            send(ex, 404, "application/json", error("use /labels/{labelSet}"));
            return;
        }
        ReadOnlyKeyValueStore<String, byte[]> store;
        try {
            store = app.streams().store(StoreQueryParameters.fromNameAndType(LabelingTopology.CAPTION_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            send(ex, 503, "application/json", error("caption store not ready: " + Reasons.of(e)));
            return;
        }
        ArrayNode labels = JSON.createArrayNode();
        var deserializer = app.services().captionEmbeddingsReader();
        try (var it = store.all()) {
            while (it.hasNext()) {
                CaptionEmbeddings e = deserializer.apply(it.next().value);
                if (e != null && e.getLabelSet().equals(set)) {
                    ObjectNode l = labels.addObject();
                    l.put("labelId", e.getLabelId());
                    l.put("promptsHash", e.getPromptsHash());
                    l.putPOJO("prompts", e.getPrompts());
                    l.put("boxPrompt", e.getBoxPrompt());
                    l.put("long", e.getLong$());
                    if (e.getThreshold() != null) {
                        l.put("threshold", e.getThreshold());
                    }
                    if (e.getAction() != null) {
                        l.put("action", e.getAction());
                    }
                    if (e.getReviewMargin() != null) {
                        l.put("reviewMargin", e.getReviewMargin());
                    }
                    l.put("modelId", e.getModelId());
                }
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("labelSet", set);
        body.set("labels", labels);
        send(ex, labels.isEmpty() ? 404 : 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void imageLabels(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (!path.endsWith("/labels")) {
            send(ex, 404, "application/json", error("use /images/{id}/labels"));
            return;
        }
        String id = decode(path.substring("/images/".length(), path.length() - "/labels".length()));
        KeyQueryMetadata owner = app.streams().queryMetadataForKey(LabelingTopology.RECENT_LABELS_STORE, id,
                Serdes.String().serializer());
        if (self != null && owner != null && owner.activeHost() != null && !owner.activeHost().equals(HostInfo.unavailable())
                && !owner.activeHost().equals(self) && !"local".equals(header(ex, "X-Fgclip2-Forwarded"))) {
            forward(ex, owner.activeHost(), path);
            return;
        }
        ReadOnlyKeyValueStore<String, byte[]> store;
        try {
            store = app.streams().store(StoreQueryParameters.fromNameAndType(LabelingTopology.RECENT_LABELS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            send(ex, 503, "application/json", error("recent-results store not ready: " + Reasons.of(e)));
            return;
        }
        byte[] value = store.get(id);
        if (value == null) {
            send(ex, 404, "application/json", error("no recent labels for image '" + id + "'"));
            return;
        }
        ImageLabels labels = app.services().imageLabelsReader().apply(value);
        send(ex, 200, "application/json", labels.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void forward(HttpExchange ex, HostInfo host, String path) throws IOException {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":"
                            + host.port() + path)).header("X-Fgclip2-Forwarded", "local").timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            send(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, "application/json", error("interrupted"));
        } catch (IOException e) {
            send(ex, 502, "application/json", error("owner instance " + host + " did not answer: " + Reasons.of(e)));
        }
    }

    private static String header(HttpExchange ex, String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static byte[] error(String message) throws IOException {
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                status = 405;
                body = error("only GET");
            }
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
