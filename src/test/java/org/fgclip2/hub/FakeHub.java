package org.fgclip2.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face hub on 127.0.0.1 that answers as the real one does: HEAD and GET on
 * {@code /{owner}/{name}/resolve/{revision}/{file}} with {@code X-Repo-Commit}, ETag headers and the hub's error
 * codes; LFS files are answered with a 302 to a second server on another port, the "CDN", which serves bytes by
 * SHA-256 and honours Range requests. Faults can be injected per file: a dropped or stalled connection, a corrupted
 * body, an ignored Range header, a 503.
 */
final class FakeHub implements AutoCloseable {

    enum Fault { DROP_HALFWAY, STALL_HALFWAY, CORRUPT, IGNORE_RANGE, UNAVAILABLE }

    /** One request as a server saw it. */
    record HubRequest(String server, String method, String path, String range, String authorization) {
    }

    /** A file in a repository; LFS files are named by SHA-256, the others by their git blob hash. */
    record HubFile(byte[] bytes, boolean lfs) {
        String etag() {
            return lfs ? sha256(bytes) : gitBlobSha1(bytes);
        }
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final long STALL_MILLIS = 4000;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, HubFile> blobsBySha = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final List<HubRequest> requests = new ArrayList<>();

    private static final class Repo {
        final Map<String, String> commitsByRevision = new HashMap<>();
        final Map<String, Map<String, HubFile>> filesByCommit = new HashMap<>();
        String requiredToken;
    }

    FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    static HubFile lfs(byte[] bytes) {
        return new HubFile(bytes, true);
    }

    static HubFile plain(byte[] bytes) {
        return new HubFile(bytes, false);
    }

    /** Makes {@code revision} point at {@code commit}, which holds {@code files}. */
    synchronized void publish(String repoId, String revision, String commit, Map<String, HubFile> files) {
        Repo repo = repos.computeIfAbsent(repoId, id -> new Repo());
        repo.commitsByRevision.put(revision, commit);
        repo.filesByCommit.put(commit, Map.copyOf(files));
        files.values().stream().filter(HubFile::lfs).forEach(f -> blobsBySha.put(f.etag(), f));
    }

    /** Answers 401 (GatedRepo) unless this bearer token is sent. */
    synchronized void gate(String repoId, String token) {
        repos.get(repoId).requiredToken = token;
    }

    /** The next GETs of this file's bytes suffer these faults, one per request. */
    void injectFaults(HubFile file, Fault... injected) {
        synchronized (faults) {
            faults.computeIfAbsent(file.etag(), e -> new ArrayDeque<>()).addAll(List.of(injected));
        }
    }

    /** Options pointing at this hub, with short timeouts and retry pauses so fault tests run fast. */
    HubOptions options(Path cacheRoot, String token) {
        return options(cacheRoot, token, false);
    }

    HubOptions options(Path cacheRoot, String token, boolean offline) {
        return new HubOptions(endpoint(), cacheRoot, token, offline, Duration.ofSeconds(2), Duration.ofSeconds(1), 4,
                Duration.ofMillis(10));
    }

    List<HubRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    private void handleHub(HttpExchange exchange) throws IOException {
        record("hub", exchange);
        String[] parts = exchange.getRequestURI().getRawPath().split("/", 6);
        if (parts.length < 6 || !parts[3].equals("resolve")) {
            sendError(exchange, 404, null);
            return;
        }
        Repo repo;
        String commit;
        HubFile file;
        synchronized (this) {
            repo = repos.get(parts[1] + "/" + parts[2]);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (repo == null) {
                // like the hub, tell anonymous callers nothing about whether a private repository exists
                sendError(exchange, auth == null ? 401 : 404, "RepoNotFound");
                return;
            }
            if (repo.requiredToken != null && !("Bearer " + repo.requiredToken).equals(auth)) {
                sendError(exchange, 401, "GatedRepo");
                return;
            }
            String revision = decode(parts[4]);
            commit = repo.filesByCommit.containsKey(revision) ? revision : repo.commitsByRevision.get(revision);
            if (commit == null) {
                sendError(exchange, 404, "RevisionNotFound");
                return;
            }
            file = repo.filesByCommit.get(commit).get(decode(parts[5]));
        }
        exchange.getResponseHeaders().set("X-Repo-Commit", commit);
        if (file == null) {
            sendError(exchange, 404, "EntryNotFound");
            return;
        }
        if (file.lfs()) {
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + file.etag() + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(file.bytes().length));
            exchange.getResponseHeaders().set("Location",
                    "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/" + file.etag() + "?signature=x");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + file.etag() + "\"");
        serveBytes(exchange, file);
    }

    private void handleCdn(HttpExchange exchange) throws IOException {
        record("cdn", exchange);
        String path = exchange.getRequestURI().getPath();
        HubFile file = path.startsWith("/blobs/") ? blobsBySha.get(path.substring("/blobs/".length())) : null;
        if (file == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        serveBytes(exchange, file);
    }

    private void serveBytes(HttpExchange exchange, HubFile file) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        Fault fault = head ? null : nextFault(file);
        if (fault == Fault.UNAVAILABLE) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        byte[] all = file.bytes();
        int start = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && fault != Fault.IGNORE_RANGE) {
            Matcher m = RANGE.matcher(range);
            start = m.matches() ? Integer.parseInt(m.group(1)) : 0;
            if (start >= all.length) {
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (all.length - 1) + "/" + all.length);
        }
        byte[] body = Arrays.copyOfRange(all, start, all.length);
        if (fault == Fault.CORRUPT) {
            body[body.length / 2] ^= 0x5A;
        }
        int status = start > 0 ? 206 : 200;
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        if (fault == Fault.DROP_HALFWAY || fault == Fault.STALL_HALFWAY) {
            out.write(body, 0, body.length / 2);
            out.flush();
            if (fault == Fault.STALL_HALFWAY) {
                sleepQuietly(STALL_MILLIS);
            }
            exchange.close(); // short of the announced length: the server drops the connection
            return;
        }
        out.write(body);
        exchange.close();
    }

    private Fault nextFault(HubFile file) {
        synchronized (faults) {
            Deque<Fault> queue = faults.get(file.etag());
            return queue == null ? null : queue.poll();
        }
    }

    private static void sendError(HttpExchange exchange, int status, String errorCode) throws IOException {
        if (errorCode != null) {
            exchange.getResponseHeaders().set("X-Error-Code", errorCode);
            exchange.getResponseHeaders().set("X-Error-Message", errorCode + " (fake hub)");
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private void record(String server, HttpExchange exchange) {
        synchronized (requests) {
            requests.add(new HubRequest(server, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    /** What git names a file's content: SHA-1 of "blob {size}\0" and the bytes. */
    static String gitBlobSha1(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(header, header.length + bytes.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
