package dev.moat.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.guard.Guard;
import dev.moat.internal.AtomicFiles;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sidecar: a loopback HTTP+JSON server in front of one {@link Guard}, usable from any language.
 * It listens on 127.0.0.1 only; every request must carry {@code Authorization: Bearer <token>},
 * where the token is 256 random bits made at start and written with the URL to an owner-only
 * (0600) file, compared in constant time. Bodies are capped, parsed strictly and checked against
 * each endpoint's schema; malformed input is a 4xx with a JSON reason code, never a stack trace.
 * The private keys stay in this process: clients only ever name the agent they act as.
 */
public final class BridgeServer implements AutoCloseable {
    static {
        // Without TCP_NODELAY the JDK server writes headers and body as two segments, and a client's
        // delayed ACK turns every answer into a 40 ms wait. Read once, when the JDK's server config loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BridgeApi api;
    private final BridgeConfig config;
    private final byte[] expectedAuthorization;
    private final Map<String, List<Route>> routes = new HashMap<>();
    private final String url;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private BridgeServer(Guard guard, BridgeConfig config, Clock clock, dev.moat.tool.ToolRules rules) throws IOException {
        this.config = config;
        this.api = new BridgeApi(guard, config, clock, rules);
        for (Route r : Route.all()) {
            routes.computeIfAbsent(r.path(), p -> new java.util.ArrayList<>()).add(r);
        }
        String token = Base64Url.encode(Ids.secret());
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 128);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "moat-bridge-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("url", url);
        file.put("token", token);
        AtomicFiles.writeOwnerOnly(config.secretFile(), CanonicalJson.encode(file));
        server.start();
    }

    /** Starts the sidecar and writes its secret file; close it to stop and delete the file. */
    public static BridgeServer start(Guard guard, BridgeConfig config) throws IOException {
        return new BridgeServer(guard, config, Clock.systemUTC(), dev.moat.tool.ToolRules.empty());
    }

    /**
     * With the policy file's {@code tools:} section ({@code moat.toolRules()}): each tool's
     * resource, action and argument rules, checked by core's engine like every other adapter.
     */
    public static BridgeServer start(Guard guard, BridgeConfig config, dev.moat.tool.ToolRules rules) throws IOException {
        return new BridgeServer(guard, config, Clock.systemUTC(), rules);
    }

    /** As {@link #start(Guard, BridgeConfig)} with a clock for decision expiry (tests). */
    public static BridgeServer start(Guard guard, BridgeConfig config, Clock clock) throws IOException {
        return new BridgeServer(guard, config, clock, dev.moat.tool.ToolRules.empty());
    }

    /** As {@link #start(Guard, BridgeConfig, dev.moat.tool.ToolRules)} with a clock (tests). */
    public static BridgeServer start(Guard guard, BridgeConfig config, Clock clock, dev.moat.tool.ToolRules rules) throws IOException {
        return new BridgeServer(guard, config, clock, rules);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    public Path secretFile() {
        return config.secretFile();
    }

    /** The endpoints served, as {@code "METHOD /path"}. */
    public static List<String> endpoints() {
        return Route.all().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(config.secretFile());
        } catch (IOException e) {
            // the token dies with this process either way
        }
    }

    @Override
    public String toString() {
        return "BridgeServer[" + url + "]";
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            int status;
            Map<String, Object> body;
            try {
                Route route = authorizeAndRoute(ex);
                byte[] bytes = "POST".equals(route.method()) ? readBody(ex) : new byte[0];
                RequestBody request = "POST".equals(route.method())
                        ? RequestBody.parse(bytes, config.maxRequestBytes(), route.fields()) : null;
                body = route.handler().handle(api, request, query(ex.getRequestURI(), route));
                status = route.okStatus();
            } catch (ApiError e) {
                status = e.status();
                body = error(e.code(), e.detail());
            } catch (RuntimeException | StackOverflowError e) { // never a stack trace on the wire
                status = 500;
                body = error("internal", "the sidecar could not answer (" + e.getClass().getSimpleName() + ")");
            }
            send(ex, status, body);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private Route authorizeAndRoute(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !ConstantTime.equal(expectedAuthorization, auth.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "unauthenticated", "missing or wrong bearer token");
        }
        List<Route> candidates = routes.get(ex.getRequestURI().getRawPath());
        if (candidates == null) {
            throw new ApiError(404, "not_found", "no such endpoint");
        }
        for (Route r : candidates) {
            if (r.method().equals(ex.getRequestMethod())) {
                if ("POST".equals(r.method())) {
                    String type = ex.getRequestHeaders().getFirst("Content-Type");
                    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                        throw new ApiError(415, "unsupported_media_type", "send Content-Type: application/json");
                    }
                }
                return r;
            }
        }
        throw new ApiError(405, "method_not_allowed", "use " + candidates.get(0).method());
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        int max = config.maxRequestBytes();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > max) {
                    throw new ApiError(413, "oversized", "request body exceeds " + max + " bytes");
                }
            } catch (NumberFormatException e) {
                throw ApiError.malformed("bad Content-Length");
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new ApiError(413, "oversized", "request body exceeds " + max + " bytes");
        }
        return bytes;
    }

    private static Map<String, String> query(URI uri, Route route) {
        String raw = uri.getRawQuery();
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&", 16)) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (!route.query().contains(k) || eq < 0 || out.containsKey(k)) {
                throw ApiError.malformed("unexpected query parameter '" + RequestBody.clip(k) + "'");
            }
            out.put(k, pair.substring(eq + 1));
        }
        return out;
    }

    private static Map<String, Object> error(String code, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("detail", detail);
        return m;
    }

    private static void send(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = CanonicalJson.encode(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
