package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An MCP server reached over Streamable HTTP (MCP 2025-03-26 and later): every message is POSTed to
 * the endpoint; the answer to a request comes back as one JSON body or as an event stream that may
 * carry the server's own requests and notifications first. The {@code Mcp-Session-Id} the server
 * assigns is sent with every later message, with {@code MCP-Protocol-Version} once negotiated; a GET
 * stream carries messages the server sends on its own; the session is deleted when the client goes.
 * An HTTP failure of a request is answered to the client as a JSON-RPC error for that request;
 * an expired session (404) ends the proxy's session.
 */
public final class HttpUpstream implements Upstream {
    private final URI endpoint;
    private final HttpClient http;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "moat-mcp-http");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener;
    private volatile McpLimits limits;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile String initializeId;
    private volatile boolean getStreamOpened;
    private volatile boolean closed;

    public HttpUpstream(URI endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the upstream URL must be http:// or https://");
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(workers).build();
    }

    @Override
    public void start(Listener listener, McpLimits limits) {
        this.listener = listener;
        this.limits = limits;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        if (closed) {
            throw new IOException("the HTTP upstream is closed");
        }
        JsonRpcMessage m = JsonRpc.parse(frame);
        JsonNode requestId = m instanceof JsonRpcMessage.Request r ? r.id() : null;
        if (m instanceof JsonRpcMessage.Request r && r.method().equals("initialize")) {
            initializeId = JsonRpcMessage.idKey(r.id());
        }
        boolean initialized = m instanceof JsonRpcMessage.Notification n && n.method().equals("notifications/initialized");
        HttpRequest.Builder b = request().POST(HttpRequest.BodyPublishers.ofByteArray(frame))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream()).whenComplete((resp, err) -> {
            if (err != null) {
                failed(requestId, "the HTTP upstream is unreachable (" + err.getClass().getSimpleName() + ")");
                return;
            }
            handle(resp, requestId);
            if (initialized && resp.statusCode() / 100 == 2) {
                openGetStream();
            }
        });
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(limits.callTimeout().plusSeconds(5));
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    private void handle(HttpResponse<InputStream> resp, JsonNode requestId) {
        try (InputStream body = resp.body()) {
            resp.headers().firstValue("Mcp-Session-Id").ifPresent(id -> {
                if (sessionId == null) {
                    sessionId = id;
                }
            });
            int status = resp.statusCode();
            if (status == 404 && sessionId != null) {
                closeWith("the HTTP upstream's session expired (404)");
                return;
            }
            if (status / 100 != 2) {
                failed(requestId, "the HTTP upstream answered " + status);
                return;
            }
            String type = resp.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                SseReader.read(body, limits.maxMessageBytes(), this::deliver);
            } else if (type.startsWith("application/json")) {
                byte[] bytes = body.readNBytes(limits.maxMessageBytes() + 1);
                if (bytes.length > limits.maxMessageBytes()) {
                    closeWith("the server sent a message over the " + limits.maxMessageBytes() + "-byte limit");
                    return;
                }
                deliver(bytes);
            } else if (requestId != null) {
                failed(requestId, "the HTTP upstream answered a request without a message (" + status + ")");
            }
        } catch (SseReader.OversizedEvent e) {
            closeWith("the server sent a message over the " + limits.maxMessageBytes() + "-byte limit");
        } catch (IOException e) {
            if (!closed && requestId != null) {
                failed(requestId, "the HTTP upstream's answer broke off (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private void openGetStream() {
        if (getStreamOpened || closed) {
            return;
        }
        getStreamOpened = true;
        HttpRequest get = request().GET().header("Accept", "text/event-stream").timeout(Duration.ofDays(1)).build();
        http.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream()).thenAccept(resp -> {
            if (resp.statusCode() == 200) {
                handle(resp, null); // 405: the server has no stream of its own, which is allowed
            } else {
                try {
                    resp.body().close();
                } catch (IOException ignored) {
                    // nothing to read
                }
            }
        });
    }

    private void deliver(byte[] frame) {
        if (closed) {
            return;
        }
        if (initializeId != null && protocolVersion == null) {
            JsonRpcMessage m = JsonRpc.parse(frame);
            if (m instanceof JsonRpcMessage.Response r && r.id() != null && JsonRpcMessage.idKey(r.id()).equals(initializeId)) {
                JsonNode v = r.tree().path("result").path("protocolVersion");
                if (v.isTextual()) {
                    protocolVersion = v.textValue();
                }
            }
        }
        synchronized (this) {
            listener.onMessage(frame);
        }
    }

    private void failed(JsonNode requestId, String why) {
        if (requestId != null && !closed) {
            deliver(JsonRpc.error(requestId, JsonRpc.UPSTREAM_ERROR, why));
        }
    }

    private void closeWith(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            listener.onClosed(reason);
        }
    }

    @Override
    public void endInput() {
        if (sessionId != null && !closed) {
            try {
                http.send(request().DELETE().timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // best effort: the server expires the session on its own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeWith("the client closed the session");
    }

    @Override
    public void close(Duration grace) {
        closed = true;
        workers.shutdownNow();
        try {
            workers.awaitTermination(Math.max(100, grace.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
