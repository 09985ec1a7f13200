package dev.moat.mcp;

import static dev.moat.mcp.ProxyHarness.call;
import static dev.moat.mcp.ProxyHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol revision 2026-07-28 end to end: the official Python SDK's client and server (mcp 2.3.0)
 * negotiate it through the proxy ({@code server/discover}, per-request metadata, relayed
 * unchanged); calls are guarded as in 2025-11-25, and the server's request for the client's model,
 * which this revision embeds in the tool's result ({@code input_required}), needs the same grant.
 */
@Tag("foreign")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ModernRevisionTest {
    static final List<Map<String, Object>> OPS = List.of(list(), call("echo", Map.of("message", "hi")),
            call("summarise", Map.of("text", "a long text")));

    @TempDir
    Path tmp;
    ProxyHarness h;

    private ProxyHarness.Session run(Consumer<dev.moat.token.Grant.Builder> grants) throws Exception {
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), grants);
        return h.pythonSession("drive_modern.py", "modern", new StdioUpstream(ProxyHarness.python("modern_server.py")), OPS);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.assertAuditIntact();
        h.close();
    }

    @Test
    void theModernRevisionIsNegotiatedAndItsEmbeddedSamplingIsRefusedByDefault() throws Exception {
        var s = run(g -> g.allow("tool://mcp/modern/*", "execute"));
        assertThat(s.results().get(0).path("version").asText()).isEqualTo("2026-07-28");
        assertThat(s.op(0).path("tools").toString()).isEqualTo("[\"echo\",\"summarise\"]");
        assertThat(s.op(1).path("text").asText()).isEqualTo("echo: hi");
        assertThat(s.op(2).path("ok").asBoolean()).as(s.op(2).toString()).isTrue();
        assertThat(s.op(2).path("isError").asBoolean()).isTrue();
        assertThat(s.op(2).path("text").asText()).contains("summarise", "reason not_granted", "asked the client for input");
        assertThat(s.op(2).path("sampled").asInt()).as("the client's model was never asked").isZero();
        assertThat(h.decisions("mcp://modern/sampling/createMessage")).singleElement().satisfies(d -> assertThat(d.allowed()).isFalse());
    }

    @Test
    void withAGrantTheEmbeddedSamplingRoundTripCompletes() throws Exception {
        var s = run(g -> g.allow("tool://mcp/modern/*", "execute").allow("mcp://modern/sampling/createMessage", "request"));
        assertThat(s.op(2).path("text").asText()).isEqualTo("summary: short");
        assertThat(s.op(2).path("sampled").asInt()).isEqualTo(1);
        // the retry that carries the client's answer is a tools/call of its own: guarded and audited again
        assertThat(h.decisions("tool://mcp/modern/summarise")).hasSize(2).allSatisfy(d -> assertThat(d.allowed()).isTrue());
    }
}
