package dev.moat.secrets;

import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP tool helper: takes a request template whose header values may contain
 * {@code {{moat-secret:...}}} placeholders (for example {@code Authorization: Bearer {{moat-secret:…}}})
 * and/or a header-to-handle map, resolves every handle for the calling agent, sends the request,
 * and returns the response with every secret value redacted. The resolved value exists only in
 * the outgoing request; it is never returned.
 *
 * <p>All handles must resolve, or nothing is sent. The client must not follow redirects (a
 * redirect would carry the header to a host the secret was not declared for); the default client
 * does not. Response bodies larger than {@code maxResponseBytes} are refused, not truncated (a
 * cut could split a value and defeat redaction).
 */
public final class SecretHttp {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final SecretProxy proxy;
    private final HttpClient client;
    private final int maxResponseBytes;

    private SecretHttp(SecretProxy proxy, HttpClient client, int maxResponseBytes) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.client = Objects.requireNonNull(client, "client");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new MoatException("SecretHttp needs a client that never follows redirects");
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be >= 1");
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /** With its own client (no redirects, 10 s connect timeout) and a 1 MiB response cap. */
    public static SecretHttp create(SecretProxy proxy) {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return new SecretHttp(proxy, client, 1 << 20);
    }

    /** With the caller's client, which must have {@link HttpClient.Redirect#NEVER}. */
    public static SecretHttp create(SecretProxy proxy, HttpClient client, int maxResponseBytes) {
        return new SecretHttp(proxy, client, maxResponseBytes);
    }

    /** Resolves the placeholders in the template's header values, sends, redacts. */
    public Checked<RedactedResponse> send(AgentId agent, HttpRequest template) {
        return send(agent, template, Map.of());
    }

    /**
     * Resolves the template's placeholders plus {@code headerHandles} (header name to handle; the
     * header's whole value is the secret, replacing any template value), sends, redacts.
     */
    public Checked<RedactedResponse> send(AgentId agent, HttpRequest template, Map<String, SecretHandle> headerHandles) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(template, "template");
        URI uri = template.uri();
        if (uri.getHost() == null) {
            return Checked.failed(ReasonCode.MALFORMED, "http request has no host");
        }
        SecretUse use = SecretUse.httpHeader(uri);

        Set<String> replaced = new HashSet<>();
        for (String name : headerHandles.keySet()) {
            replaced.add(name.toLowerCase(Locale.ROOT));
        }
        Map<String, List<String>> templated = new LinkedHashMap<>();
        Set<String> wanted = new java.util.LinkedHashSet<>();
        template.headers().map().forEach((name, values) -> {
            if (replaced.contains(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            for (String v : values) {
                Set<String> found = Placeholders.handlesIn(v);
                if (!found.isEmpty()) {
                    templated.put(name, values);
                    wanted.addAll(found);
                }
            }
        });
        headerHandles.values().forEach(h -> wanted.add(h.value()));

        Map<String, Lease> leases = new LinkedHashMap<>();
        for (String handle : wanted) {
            Checked<Lease> lease = proxy.resolve(agent, handle, use);
            if (!lease.isOk()) {
                return Checked.failed(lease.failureOrNull());
            }
            if (lease.orThrow().value().containsControl(false)) {
                return Checked.failed(Failure.of(SecretDenial.UNSAFE_VALUE.reasonCode(), "secret resolution: " + SecretDenial.UNSAFE_VALUE.code()));
            }
            leases.put(handle, lease.orThrow());
        }

        HttpRequest request;
        try {
            Set<String> dropped = new HashSet<>(replaced);
            templated.keySet().forEach(n -> dropped.add(n.toLowerCase(Locale.ROOT)));
            HttpRequest.Builder b = HttpRequest.newBuilder(template, (n, v) -> !dropped.contains(n.toLowerCase(Locale.ROOT)));
            for (Map.Entry<String, List<String>> e : templated.entrySet()) {
                for (String v : e.getValue()) {
                    b.header(e.getKey(), substitute(v, leases));
                }
            }
            for (Map.Entry<String, SecretHandle> e : headerHandles.entrySet()) {
                b.setHeader(e.getKey(), leases.get(e.getValue().value()).value().revealForInjection());
            }
            if (template.timeout().isEmpty()) {
                b.timeout(DEFAULT_TIMEOUT);
            }
            request = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // JDK header validation messages may quote the value: never pass them on
            return Checked.failed(ReasonCode.ARGUMENT_REJECTED, "http request rejected: " + e.getClass().getSimpleName());
        }
        return exchange(request);
    }

    private Checked<RedactedResponse> exchange(HttpRequest request) {
        Redactor redactor = proxy.redactor();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(maxResponseBytes + 1);
            }
            if (body.length > maxResponseBytes) {
                return Checked.failed(ReasonCode.OVERSIZED, "http response larger than " + maxResponseBytes + " bytes");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> {
                List<String> clean = new ArrayList<>(values.size());
                values.forEach(v -> clean.add(redactor.redact(v)));
                headers.put(name, List.copyOf(clean));
            });
            String text = redactor.redact(new String(body, StandardCharsets.UTF_8));
            return Checked.ok(new RedactedResponse(response.statusCode(), headers, text));
        } catch (IOException e) {
            return Checked.failed(ReasonCode.INTERNAL, "http request failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Checked.failed(ReasonCode.INTERNAL, "http request interrupted");
        }
    }

    private static String substitute(String value, Map<String, Lease> leases) {
        StringBuilder sb = new StringBuilder(value.length() + 32);
        int from = 0;
        while (true) {
            int open = value.indexOf(Placeholders.OPEN, from);
            int close = open < 0 ? -1 : value.indexOf(Placeholders.CLOSE, open + Placeholders.OPEN.length());
            if (open < 0 || close < 0) {
                return sb.append(value, from, value.length()).toString();
            }
            String inner = value.substring(open + Placeholders.OPEN.length(), close).trim();
            Lease lease = leases.get(inner);
            sb.append(value, from, open);
            if (lease != null) {
                sb.append(lease.value().chars());
            } else {
                sb.append(value, open, close + Placeholders.CLOSE.length());
            }
            from = close + Placeholders.CLOSE.length();
        }
    }

    @Override
    public String toString() {
        return "SecretHttp[maxResponseBytes=" + maxResponseBytes + "]";
    }
}
