package dev.moat.sandbox.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import dev.moat.sandbox.EgressDecorator;
import dev.moat.sandbox.SandboxFailure;
import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host function {@code moat.http_request(req_ptr, req_len, resp_ptr, resp_cap) -> i32}. The
 * request is a JSON object {@code {"method","url","headers"?,"body"?}}; on success the response
 * {@code {"status":n,"body":"..."}} is written at {@code resp_ptr} and its length returned.
 * Negative results: {@link #BAD_REQUEST}, {@link #RESPONSE_TOO_LARGE}, {@link #UPSTREAM_FAILED},
 * {@link #TOO_MANY_REQUESTS}. A URL whose host is not allowed by the token stops the run with
 * {@link SandboxFailure#IO_DENIED} before any connection is made. Redirects are never followed.
 */
public final class HttpEgress {
    public static final int BAD_REQUEST = -1;
    public static final int RESPONSE_TOO_LARGE = -2;
    public static final int UPSTREAM_FAILED = -3;
    public static final int TOO_MANY_REQUESTS = -4;
    /** The egress decorator (the secret proxy) refused to add what this request needs: nothing was sent. */
    public static final int DECORATOR_REFUSED = -5;
    private static final int MAX_REQUEST = 64 * 1024;

    private final HttpClient client;
    private final ResourceLimits limits;
    private final EgressDecorator decorator;
    private final int maxRequests;
    private final int maxResponseBytes;
    private final long deadlineNanos;
    private final List<String> contacted = new ArrayList<>();

    public HttpEgress(HttpClient client, ResourceLimits limits, EgressDecorator decorator, int maxRequests,
            int maxResponseBytes, long deadlineNanos) {
        this.client = client;
        this.limits = limits;
        this.decorator = decorator;
        this.maxRequests = maxRequests;
        this.maxResponseBytes = maxResponseBytes;
        this.deadlineNanos = deadlineNanos;
    }

    public HostFunction function() {
        return new HostFunction(HostImports.MOAT, HostImports.HTTP_REQUEST,
                FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)),
                (instance, args) -> new long[] {call(instance, (int) args[0], (int) args[1], (int) args[2], (int) args[3])});
    }

    /** Hosts reached so far, in call order. */
    public synchronized List<String> contacted() {
        return List.copyOf(contacted);
    }

    private int call(Instance instance, int reqPtr, int reqLen, int respPtr, int respCap) {
        if (reqLen < 0 || reqLen > MAX_REQUEST || respCap < 0) {
            return BAD_REQUEST;
        }
        ObjectNode req;
        try {
            req = StrictJson.parseObject(instance.memory().readBytes(reqPtr, reqLen), MAX_REQUEST, "http request");
        } catch (RuntimeException e) {
            return BAD_REQUEST;
        }
        String method = text(req, "method", "GET").toUpperCase(Locale.ROOT);
        URI uri;
        try {
            uri = new URI(text(req, "url", ""));
        } catch (Exception e) {
            return BAD_REQUEST;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !method.matches("GET|POST|PUT|DELETE|PATCH|HEAD")) {
            return BAD_REQUEST;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        // a host allowed without a port allows every port; host:port allows that port (the scheme's default when the URL has none)
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        boolean allowed = limits.hostAllowed(host) || limits.hostAllowed(host + ":" + port);
        if (!allowed) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "egress to a host the token does not allow");
        }
        synchronized (this) {
            if (contacted.size() >= maxRequests) {
                return TOO_MANY_REQUESTS;
            }
            contacted.add(uri.getPort() == -1 ? host : host + ":" + uri.getPort());
        }
        return send(instance, req, method, uri, respPtr, respCap);
    }

    private int send(Instance instance, ObjectNode req, String method, URI uri, int respPtr, int respCap) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return UPSTREAM_FAILED;
        }
        Duration timeout = Duration.ofNanos(Math.min(remaining, Duration.ofSeconds(30).toNanos()));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // names are case-insensitive
        JsonNode h = req.get("headers");
        if (h != null && h.isObject()) {
            for (Map.Entry<String, JsonNode> e : h.properties()) {
                headers.put(e.getKey(), e.getValue().asText());
            }
        }
        try {
            headers.putAll(decorator.extraHeaders(method, uri)); // the decorator wins over the guest
        } catch (RuntimeException e) {
            return DECORATOR_REFUSED; // fail closed: no request goes out without what the host meant to add
        }
        String body = text(req, "body", null);
        try {
            headers.forEach(b::header);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return BAD_REQUEST; // a restricted or malformed header
        }
        byte[] responseBody;
        int status;
        try {
            HttpResponse<InputStream> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = resp.statusCode();
            try (InputStream in = resp.body()) {
                responseBody = in.readNBytes(maxResponseBytes + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStopped(SandboxFailure.DEADLINE, "interrupted during egress");
        } catch (IOException | RuntimeException e) {
            return UPSTREAM_FAILED;
        }
        if (responseBody.length > maxResponseBytes) {
            return RESPONSE_TOO_LARGE;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", (long) status);
        out.put("body", new String(responseBody, StandardCharsets.UTF_8));
        byte[] encoded = CanonicalJson.encode(out);
        if (encoded.length > respCap) {
            return RESPONSE_TOO_LARGE;
        }
        instance.memory().write(respPtr, encoded);
        return encoded.length;
    }

    private static String text(ObjectNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : fallback;
    }
}
