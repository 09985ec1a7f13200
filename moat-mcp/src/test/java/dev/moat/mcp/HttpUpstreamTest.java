package dev.moat.mcp;

import static dev.moat.mcp.ProxyHarness.call;
import static dev.moat.mcp.ProxyHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TypeScript SDK client on stdio, the proxy, and a Streamable HTTP server built with the SDK's
 * own server transport (sessions; event-stream and JSON answers).
 */
@Tag("foreign")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpUpstreamTest {
    @TempDir
    Path tmp;
    ProxyHarness h;
    Process server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        h.assertAuditIntact();
        h.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "json"})
    void callsOverStreamableHttpAreGuardedLikeStdio(String mode) throws Exception {
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), g -> g.allow("tool://mcp/web/echo", "execute"));
        server = new ProcessBuilder(ProxyHarness.node("http-server.mjs", mode)).directory(ProxyHarness.NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(port).matches("[0-9]+");
        var s = h.session("web", new HttpUpstream(URI.create("http://127.0.0.1:" + port + "/mcp")), ProxyHarness.QUICK,
                List.of(list(), call("echo", Map.of("message", "over http")), call("delete_everything", Map.of())));
        assertThat(s.op(0).path("tools").toString()).isEqualTo("[\"echo\"]");
        assertThat(s.op(1).path("text").asText()).isEqualTo("echo: over http");
        assertThat(s.op(2).path("isError").asBoolean()).isTrue();
        assertThat(s.op(2).path("text").asText()).contains("reason not_granted");
        assertThat(h.outcomes("tool://mcp/web/echo")).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
        assertThat(h.outcomes("tool://mcp/web/delete_everything")).isEmpty();
        assertThat(s.exitCode()).isZero();
    }
}
