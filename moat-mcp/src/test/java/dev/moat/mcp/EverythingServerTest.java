package dev.moat.mcp;

import static dev.moat.mcp.ProxyHarness.call;
import static dev.moat.mcp.ProxyHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The official TypeScript SDK client drives the proxy in front of the real
 * {@code @modelcontextprotocol/server-everything}: calls, server-to-client sampling requests, a
 * server that hangs, a server that crashes mid-call, a server whose answer is over the size limit.
 */
@Tag("foreign")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EverythingServerTest {
    static final String ECHO = "tool://mcp/everything/echo";
    static final String LONG = "tool://mcp/everything/trigger-long-running-operation";
    static final String SAMPLING = "mcp://everything/sampling/createMessage";

    @TempDir
    Path tmp;
    ProxyHarness h;

    private ProxyHarness harness(Consumer<dev.moat.token.Grant.Builder> grants) throws Exception {
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), grants);
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.assertAuditIntact();
            h.close();
        }
    }

    @Test
    void grantedToolsAreListedAndAnsweredAndArgumentsArriveAsSigned() throws Exception {
        harness(g -> g.allow(ECHO, "execute").allow("tool://mcp/everything/get-sum", "execute"));
        var s = h.session("everything", ProxyHarness.everythingServer(), List.of(list(),
                call("echo", Map.of("message", "héllo \"moat\"\n")), call("get-sum", Map.of("a", 40, "b", 2)),
                call("get-env", Map.of())));
        assertThat(s.op(0).path("tools")).extracting(Object::toString).containsExactlyInAnyOrder("\"echo\"", "\"get-sum\"");
        assertThat(s.op(1).path("text").asText()).isEqualTo("Echo: héllo \"moat\"\n");
        assertThat(s.op(2).path("text").asText()).contains("42");
        assertThat(s.op(3).path("isError").asBoolean()).isTrue();
        assertThat(s.op(3).path("text").asText()).contains("get-env", "reason not_granted");
        assertThat(h.outcomes(ECHO)).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
        assertThat(h.outcomes("tool://mcp/everything/get-env")).isEmpty();
    }

    @Test
    void aSamplingRequestFromTheServerIsRefusedByDefault() throws Exception {
        harness(g -> g.allow("tool://mcp/everything/*", "execute"));
        var s = h.session("everything", new StdioUpstream(ProxyHarness.everythingServer()), ProxyHarness.QUICK,
                List.of(list(), call("trigger-sampling-request", Map.of("prompt", "tell me the secrets", "maxTokens", 10))),
                Map.of("DRIVE_SAMPLING", "1"));
        assertThat(s.op(0).path("tools").toString()).contains("trigger-sampling-request");
        assertThat(s.op(1).path("sampled").asInt()).as("the client's sampling handler never ran").isZero();
        assertThat(s.op(1).toString()).contains("Moat denied the server's sampling/createMessage request");
        assertThat(h.decisions(SAMPLING)).singleElement().satisfies(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.reasonCode()).isEqualTo("not_granted");
        });
    }

    @Test
    void aSamplingRequestPassesWhenThePolicyGrantsIt() throws Exception {
        harness(g -> g.allow("tool://mcp/everything/*", "execute").allow(SAMPLING, "request"));
        var s = h.session("everything", new StdioUpstream(ProxyHarness.everythingServer()), ProxyHarness.QUICK,
                List.of(list(), call("trigger-sampling-request", Map.of("prompt", "hi", "maxTokens", 10))),
                Map.of("DRIVE_SAMPLING", "1"));
        assertThat(s.op(1).path("sampled").asInt()).isEqualTo(1);
        assertThat(s.op(1).path("text").asText()).contains("sampled by the test client");
        assertThat(h.decisions(SAMPLING)).singleElement().satisfies(d -> assertThat(d.allowed()).isTrue());
    }

    @Test
    void aServerThatDoesNotAnswerInTimeGivesAnErrorAndTheSessionGoesOn() throws Exception {
        harness(g -> g.allow("tool://mcp/everything/*", "execute"));
        var s = h.session("everything", new StdioUpstream(ProxyHarness.everythingServer()),
                ProxyHarness.QUICK.withCallTimeout(Duration.ofSeconds(1)),
                List.of(list(), call("trigger-long-running-operation", Map.of("duration", 30, "steps", 3)),
                        call("echo", Map.of("message", "still here"))));
        assertThat(s.op(1).path("ok").asBoolean()).isFalse();
        assertThat(s.op(1).path("error").asText()).contains("did not answer tools/call within 1 s");
        assertThat(s.op(2).path("text").asText()).isEqualTo("Echo: still here");
        assertThat(h.outcomes(LONG)).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.ERROR);
            assertThat(o.error()).isEqualTo("Timeout");
        });
        assertThat(s.exitCode()).isZero();
    }

    @Test
    void aServerThatCrashesMidCallEndsTheSessionWithAnErrorForTheOpenCall() throws Exception {
        harness(g -> g.allow("tool://mcp/everything/*", "execute"));
        StdioUpstream upstream = new StdioUpstream(ProxyHarness.everythingServer());
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && h.decisions(LONG).isEmpty()) {
                pause();
            }
            pause();
            ProcessHandle.of(upstream.pid()).ifPresent(ProcessHandle::destroyForcibly);
        });
        killer.start();
        long start = System.nanoTime();
        var s = h.session("everything", upstream, ProxyHarness.QUICK,
                List.of(list(), call("trigger-long-running-operation", Map.of("duration", 30, "steps", 3)),
                        Map.of("op", "list", "timeout", 3000)));
        killer.join(5000);
        assertThat(System.nanoTime() - start).as("no wait for the 30 s operation").isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(s.op(1).path("ok").asBoolean()).isFalse();
        assertThat(s.op(1).path("error").asText()).contains("the MCP server 'everything' stopped");
        assertThat(s.op(2).path("ok").asBoolean()).isFalse();
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(h.outcomes(LONG)).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.ERROR);
            assertThat(o.error()).isEqualTo("UpstreamClosed");
        });
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
