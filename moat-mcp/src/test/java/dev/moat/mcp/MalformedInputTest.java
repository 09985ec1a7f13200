package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and oversized messages from a raw client, with the real server-everything behind the
 * proxy: each one gets a JSON-RPC error or a clean end of the session, never a hang, never a
 * forwarded call.
 */
@Tag("foreign")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedInputTest {
    @TempDir
    Path tmp;
    ProxyHarness h;
    StdioUpstream server;

    @BeforeEach
    void setUp() throws Exception {
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), g -> g.allow("tool://mcp/everything/*", "execute").allow("tool://mcp/fs/*", "execute"));
        server = new StdioUpstream(ProxyHarness.everythingServer());
    }

    @AfterEach
    void tearDown() throws Exception {
        h.assertAuditIntact();
        h.close();
    }

    private RawClient started(McpLimits limits) throws Exception {
        return started("everything", limits);
    }

    private RawClient started(String name, McpLimits limits) throws Exception {
        RawClient c = new RawClient(h.proxy(name, limits), server);
        c.send(RawClient.initialize(1));
        assertThat(json(c.next()).path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
        c.send(RawClient.initialized());
        return c;
    }

    private static JsonNode json(String line) throws Exception {
        return JsonRpc.MAPPER.readTree(line);
    }

    @Test
    void unreadableMessagesGetJsonRpcErrorsAndTheSessionGoesOn() throws Exception {
        try (RawClient c = started(McpLimits.DEFAULTS)) {
            c.send("{not json");
            assertThat(json(c.next()).path("error").path("code").asInt()).isEqualTo(JsonRpc.PARSE_ERROR);
            // a duplicate key: JavaScript's JSON.parse would take the last "name"; Moat refuses the message
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"name\":\"get-env\",\"arguments\":{}}}");
            JsonNode dup = json(c.next());
            assertThat(dup.path("error").path("code").asInt()).isEqualTo(JsonRpc.PARSE_ERROR);
            c.send("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"x\"}}}]");
            assertThat(json(c.next()).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"x\"}}}");
            c.send("{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"ping\"}");
            JsonNode v1 = json(c.next());
            assertThat(v1.path("id").asInt()).isEqualTo(4);
            assertThat(v1.path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
            c.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"\\ud800\"}}}");
            JsonNode flt = json(c.next());
            assertThat(flt.path("id").asInt()).isEqualTo(5);
            assertThat(flt.path("result").path("isError").asBoolean()).isTrue();
            assertThat(flt.path("result").path("content").get(0).path("text").asText()).contains("reason malformed");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");
            JsonNode pong = json(c.next());
            assertThat(pong.path("id").asInt()).isEqualTo(6);
            assertThat(pong.has("result")).isTrue();
        }
        // nothing above reached the server as a call: no tool decision was signed
        assertThat(h.events()).noneMatch(e -> e instanceof dev.moat.audit.AuditEvent.Decision d && d.allowed());
    }

    @Test
    void anOversizedClientMessageEndsTheSessionCleanly() throws Exception {
        RawClient c = started(McpLimits.DEFAULTS.withMaxMessageBytes(64 * 1024));
        c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\""
                + "A".repeat(100_000) + "\"}}}");
        JsonNode err = json(c.next());
        assertThat(err.path("error").path("message").asText()).contains("65536-byte limit");
        assertThat(c.next()).isEqualTo(RawClient.EOF);
        assertThat(c.exit.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)).as("server stopped").isFalse();
        assertThat(h.events()).noneMatch(e -> e instanceof dev.moat.audit.AuditEvent.Decision);
        c.close();
    }

    @Test
    void anOversizedServerAnswerEndsTheSessionAndTheOpenCallGetsAnError() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("docs")).toRealPath();
        Path big = Files.writeString(folder.resolve("big.txt"), "B".repeat(100_000));
        server = new StdioUpstream(ProxyHarness.filesystemServer(folder));
        RawClient c = started("fs", McpLimits.DEFAULTS.withMaxMessageBytes(64 * 1024));
        c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(json(c.next()).path("result").path("tools").size()).isGreaterThan(3);
        c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"read_text_file\",\"arguments\":{\"path\":"
                + JsonRpc.MAPPER.writeValueAsString(big.toString()) + "}}}");
        JsonNode err = json(c.next());
        assertThat(err.path("id").asInt()).isEqualTo(3);
        assertThat(err.path("error").path("message").asText()).contains("over the 65536-byte limit");
        assertThat(c.next()).isEqualTo(RawClient.EOF);
        assertThat(c.exit.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(h.outcomes("tool://mcp/fs/read_text_file")).singleElement()
                .satisfies(o -> assertThat(o.error()).isEqualTo("UpstreamClosed"));
        c.close();
    }

    @Test
    void aClientThatDisconnectsMidCallEndsTheSessionWithinTheGrace() throws Exception {
        RawClient c = started(McpLimits.DEFAULTS.withShutdownGrace(java.time.Duration.ofMillis(500)));
        c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        c.next();
        c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":30,\"steps\":2}}}");
        Thread.sleep(300);
        long start = System.nanoTime();
        c.close();
        assertThat(c.exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(h.outcomes("tool://mcp/everything/trigger-long-running-operation")).singleElement()
                .satisfies(o -> assertThat(o.error()).isEqualTo("ClientDisconnected"));
    }
}
