package dev.moat.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.internal.AtomicFiles;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's client side as a Streamable HTTP endpoint on loopback, for clients that connect
 * rather than start the proxy. One session per start. Authentication: a bearer secret (32 random
 * bytes) made at each start and written with the URL to an owner-only file (0600) in the home;
 * whoever can read that file is the user who started the proxy, and every request must carry
 * {@code Authorization: Bearer <secret>} (compared in constant time). It binds 127.0.0.1 only and
 * refuses any request with an {@code Origin} that is not loopback (DNS rebinding from a browser).
 *
 * <p>Answers to requests are JSON bodies; messages the server sends on its own (notifications,
 * its requests to the client) go out on the GET event stream, held in a bounded queue until the
 * client opens it.
 */
public final class HttpListener implements AutoCloseable {
    private static final int QUEUE = 1024;

    private final HttpServer server;
    private final String secret;
    private final McpLimits limits;
    private final OutputStream toProxy;
    private final InputStream proxyIn;
    private final OutputStream proxyOut;
    private final InputStream fromProxy;
    private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    private final BlockingQueue<byte[]> unsolicited = new ArrayBlockingQueue<>(QUEUE);
    private final String session = Base64Url.encode(random(16));
    private volatile boolean initialized;
    private volatile boolean closed;

    private HttpListener(int port, McpLimits limits) throws IOException {
        this.limits = limits;
        this.secret = Base64Url.encode(random(32));
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        this.toProxy = Channels.newOutputStream(in.sink());
        this.proxyIn = Channels.newInputStream(in.source());
        this.proxyOut = Channels.newOutputStream(out.sink());
        this.fromProxy = Channels.newInputStream(out.source());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "moat-mcp-listener");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/mcp", this::handle);
    }

    /**
     * Starts listening on 127.0.0.1:{@code port} (0: a free port) and writes
     * {@code {"token":..,"url":..}} to {@code tokenFile}, owner-only.
     */
    public static HttpListener start(int port, Path tokenFile, McpLimits limits) throws IOException {
        HttpListener l = new HttpListener(port, limits);
        Map<String, Object> doc = new TreeMap<>();
        doc.put("url", l.url().toString());
        doc.put("token", l.secret);
        AtomicFiles.writeOwnerOnly(tokenFile, CanonicalJson.encode(doc));
        l.server.start();
        Thread d = new Thread(l::dispatch, "moat-mcp-listener-dispatch");
        d.setDaemon(true);
        d.start();
        return l;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    /** What the proxy reads as its client's messages. */
    public InputStream clientIn() {
        return proxyIn;
    }

    /** Where the proxy writes to its client. */
    public OutputStream clientOut() {
        return proxyOut;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !ConstantTime.equal(auth.substring(7), secret)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                reply(ex, 401, null);
                return;
            }
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && !loopback(origin)) {
                reply(ex, 403, null);
                return;
            }
            String sid = ex.getRequestHeaders().getFirst("Mcp-Session-Id");
            switch (ex.getRequestMethod()) {
                case "POST" -> post(ex, sid);
                case "GET" -> get(ex, sid);
                case "DELETE" -> {
                    if (!session.equals(sid)) {
                        reply(ex, 404, null);
                        return;
                    }
                    reply(ex, 200, null);
                    toProxy.close();
                }
                default -> reply(ex, 405, null);
            }
        }
    }

    private void post(HttpExchange ex, String sid) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(limits.maxMessageBytes() + 1);
        if (body.length > limits.maxMessageBytes()) {
            reply(ex, 413, null);
            return;
        }
        JsonRpcMessage m = JsonRpc.parse(body);
        boolean init = m instanceof JsonRpcMessage.Request r && r.method().equals("initialize");
        if (init ? initialized : !session.equals(sid)) {
            reply(ex, init ? 409 : (sid == null ? 400 : 404), null);
            return;
        }
        if (m instanceof JsonRpcMessage.Request r) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            String key = JsonRpcMessage.idKey(r.id());
            if (waiting.putIfAbsent(key, answer) != null) {
                reply(ex, 409, null);
                return;
            }
            byte[] out;
            try {
                write(body);
                out = answer.get(limits.callTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                out = JsonRpc.error(r.id(), JsonRpc.UPSTREAM_ERROR, closed ? "the session has ended" : "no answer in time");
            } finally {
                waiting.remove(key);
            }
            if (init) {
                initialized = true;
                ex.getResponseHeaders().add("Mcp-Session-Id", session);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            reply(ex, 200, out);
        } else {
            write(body); // notifications and the client's answers to the server's requests
            reply(ex, 202, null);
        }
    }

    private void get(HttpExchange ex, String sid) throws IOException {
        if (!session.equals(sid)) {
            reply(ex, sid == null ? 400 : 404, null);
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int idle = 0;
        while (!closed) {
            byte[] m;
            try {
                m = unsolicited.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (m == null && ++idle < 15) {
                continue;
            }
            idle = 0;
            out.write(m == null ? ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8)
                    : ("event: message\ndata: " + new String(m, StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private synchronized void write(byte[] frame) throws IOException {
        toProxy.write(frame);
        toProxy.write('\n');
        toProxy.flush();
    }

    private void dispatch() {
        FrameReader frames = new FrameReader(fromProxy, limits.maxMessageBytes() + 1024);
        try {
            while (true) {
                FrameReader.Result r = frames.next();
                if (!(r instanceof FrameReader.Frame f)) {
                    break;
                }
                JsonRpcMessage m = JsonRpc.parse(f.bytes());
                CompletableFuture<byte[]> w = m instanceof JsonRpcMessage.Response resp && resp.id() != null
                        ? waiting.get(JsonRpcMessage.idKey(resp.id())) : null;
                if (w != null) {
                    w.complete(f.bytes());
                } else if (!unsolicited.offer(f.bytes())) {
                    unsolicited.poll();
                    unsolicited.offer(f.bytes());
                }
            }
        } catch (IOException e) {
            // the proxy closed its side
        }
        closed = true;
        waiting.values().forEach(w -> w.completeExceptionally(new IOException("session ended")));
    }

    private static boolean loopback(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            ex.getResponseBody().write(body);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        try {
            toProxy.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
