package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP egress goes only to hosts the token allows; tests use a loopback server only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxEgressTest {
    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            List<String> auth = exchange.getRequestHeaders().get("Authorization");
            authHeaders.add(auth == null ? "" : String.join(" | ", auth)); // every value, to catch duplicates
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private byte[] get(String host) {
        return json("{\"method\":\"GET\",\"url\":\"http://" + host + ":" + port + "/ping\"}");
    }

    @Test
    void anAllowedHostIsReached() {
        Sandbox sandbox = Sandbox.builder().build();
        SandboxOutcome outcome = sandbox.run(load("http_fetch"),
                ResourceLimits.builder().allowHosts(List.of("127.0.0.1")).build(), get("127.0.0.1"));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(text(((SandboxOutcome.Completed) outcome).stdout())).isEqualTo("{\"body\":\"pong\",\"status\":200}");
        assertThat(outcome.report().egressHosts()).containsExactly("127.0.0.1:" + port);
        assertThat(hits).hasValue(1);
    }

    @Test
    void aHostOutsideTheAllowListIsRefusedWithoutAConnection() {
        Sandbox sandbox = Sandbox.builder().build();
        SandboxOutcome outcome = sandbox.run(load("http_fetch"),
                ResourceLimits.builder().allowHosts(List.of("localhost")).build(), get("127.0.0.1"));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.IO_DENIED);
        assertThat(outcome.report().egressHosts()).isEmpty();
        assertThat(hits).hasValue(0);
    }

    @Test
    void noNetworkGrantMeansNoEgress() {
        SandboxOutcome outcome = Sandbox.builder().build().run(load("http_fetch"),
                ResourceLimits.UNLIMITED_COMPUTE_NO_IO, get("127.0.0.1"));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.IO_DENIED);
        assertThat(hits).hasValue(0);
    }

    @Test
    void theDecoratorAddsHeadersTheGuestNeverSees() {
        Sandbox sandbox = Sandbox.builder()
                .egressDecorator((method, target) -> Map.of("Authorization", "Bearer from-secret-proxy"))
                .build();
        SandboxOutcome outcome = sandbox.run(load("http_fetch"),
                ResourceLimits.builder().allowHosts(List.of("127.0.0.1")).build(), get("127.0.0.1"));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(authHeaders).containsExactly("Bearer from-secret-proxy");
        assertThat(text(((SandboxOutcome.Completed) outcome).stdout())).doesNotContain("from-secret-proxy");
    }

    @Test
    void theDecoratorOverridesAGuestHeaderWhateverItsCase() {
        Sandbox sandbox = Sandbox.builder()
                .egressDecorator((method, target) -> Map.of("Authorization", "Bearer from-secret-proxy"))
                .build();
        byte[] request = json("{\"method\":\"GET\",\"url\":\"http://127.0.0.1:" + port
                + "/ping\",\"headers\":{\"authorization\":\"Bearer forged-by-guest\"}}");
        SandboxOutcome outcome = sandbox.run(load("http_fetch"),
                ResourceLimits.builder().allowHosts(List.of("127.0.0.1")).build(), request);
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(authHeaders).containsExactly("Bearer from-secret-proxy");
    }

    @Test
    void aMalformedRequestIsAnErrorCodeForTheGuest() {
        SandboxOutcome outcome = Sandbox.builder().build().run(load("http_fetch"),
                ResourceLimits.builder().allowHosts(List.of("127.0.0.1")).build(),
                json("{\"method\":\"GET\",\"url\":\"file:///etc/passwd\"}"));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.EXIT_NONZERO);
        assertThat(hits).hasValue(0);
    }
}
