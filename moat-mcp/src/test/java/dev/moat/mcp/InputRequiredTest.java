package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP 2026-07-28 embeds the server's requests to the client in results ({@code input_required}):
 * they need the same grant as a standalone request, or the result never reaches the client.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InputRequiredTest {
    static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\",\"arguments\":{}}}";

    @TempDir
    Path tmp;

    private JsonNode askAs(ProxyHarness h) throws Exception {
        ScriptedUpstream up = new ScriptedUpstream();
        try (RawClient c = new RawClient(h.proxy("s", McpLimits.DEFAULTS), up)) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
            c.next();
            c.send(CALL);
            return JsonRpc.MAPPER.readTree(c.next());
        }
    }

    @Test
    void anEmbeddedSamplingRequestIsRefusedWithoutAGrant() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("a")), g -> g.allow("tool://mcp/s/ask", "execute"))) {
            JsonNode answer = askAs(h);
            assertThat(answer.path("result").path("isError").asBoolean()).isTrue();
            assertThat(answer.path("result").has("inputRequests")).isFalse();
            assertThat(answer.toString()).contains("reason not_granted");
            assertThat(h.decisions("mcp://s/sampling/createMessage")).singleElement().satisfies(d -> assertThat(d.allowed()).isFalse());
            assertThat(h.outcomes("tool://mcp/s/ask")).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.ERROR);
                assertThat(o.error()).isEqualTo("InputRequestDenied");
            });
            h.assertAuditIntact();
        }
    }

    @Test
    void anEmbeddedSamplingRequestPassesUnchangedWithAGrant() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("b")),
                g -> g.allow("tool://mcp/s/ask", "execute").allow("mcp://s/sampling/createMessage", "request"))) {
            JsonNode answer = askAs(h);
            assertThat(answer.path("result")).isEqualTo(JsonRpc.MAPPER.readTree(ScriptedUpstream.INPUT_REQUIRED));
            assertThat(h.decisions("mcp://s/sampling/createMessage")).singleElement().satisfies(d -> assertThat(d.allowed()).isTrue());
            h.assertAuditIntact();
        }
    }
}
