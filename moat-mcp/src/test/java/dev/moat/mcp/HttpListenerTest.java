package dev.moat.mcp;

import static dev.moat.mcp.ProxyHarness.call;
import static dev.moat.mcp.ProxyHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's loopback Streamable HTTP listener: the TypeScript SDK's StreamableHTTPClientTransport
 * with the bearer secret from the owner-only file drives it in front of the real server-everything;
 * requests without the secret, with a wrong one, or from a foreign Origin are refused.
 */
@Tag("foreign")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpListenerTest {
    @TempDir
    Path tmp;
    ProxyHarness h;
    HttpListener listener;
    CompletableFuture<Integer> proxyExit = new CompletableFuture<>();
    Path tokenFile;

    @BeforeEach
    void setUp() throws Exception {
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), g -> g.allow("tool://mcp/everything/echo", "execute"));
        tokenFile = h.home.resolve("mcp-everything.listen.json");
        listener = HttpListener.start(0, tokenFile, McpLimits.DEFAULTS);
        McpProxy proxy = h.proxy("everything", McpLimits.DEFAULTS);
        Thread t = new Thread(() -> {
            try {
                proxyExit.complete(proxy.run(listener.clientIn(), listener.clientOut(), new StdioUpstream(ProxyHarness.everythingServer())));
            } catch (Throwable e) {
                proxyExit.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        proxyExit.get(10, TimeUnit.SECONDS);
        h.assertAuditIntact();
        h.close();
    }

    private JsonNode token() throws Exception {
        return JsonRpc.MAPPER.readTree(tokenFile.toFile());
    }

    @Test
    void theSdkClientConnectsWithTheSecretFromTheOwnerOnlyFile() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        JsonNode t = token();
        assertThat(t.path("url").asText()).startsWith("http://127.0.0.1:");
        Path ops = Files.writeString(tmp.resolve("ops.json"), JsonRpc.MAPPER.writeValueAsString(
                List.of(list(), call("echo", Map.of("message", "via http")), call("get-env", Map.of()))));
        Path result = tmp.resolve("result.json");
        ProcessBuilder pb = new ProcessBuilder(ProxyHarness.node("drive.mjs", ops.toString(), result.toString()))
                .directory(ProxyHarness.NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("client.log").toFile());
        pb.environment().put("DRIVE_HTTP_URL", t.path("url").asText());
        pb.environment().put("DRIVE_HTTP_TOKEN", t.path("token").asText());
        Process client = pb.start();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<JsonNode> r = new ArrayList<>();
        JsonRpc.MAPPER.readTree(result.toFile()).forEach(r::add);
        assertThat(r.get(0).path("ok").asBoolean()).as(r + Files.readString(tmp.resolve("client.log"))).isTrue();
        assertThat(r.get(1).path("tools").toString()).isEqualTo("[\"echo\"]");
        assertThat(r.get(2).path("text").asText()).isEqualTo("Echo: via http");
        assertThat(r.get(3).path("isError").asBoolean()).isTrue();
        assertThat(r.get(3).path("text").asText()).contains("reason not_granted");
        // the client's DELETE ended the session: the proxy stops the server and returns
        assertThat(proxyExit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void requestsWithoutTheSecretOrFromAForeignOriginAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create(token().path("url").asText());
        String init = RawClient.initialize(1);
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(init));
        assertThat(http.send(b.copy().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(b.copy().header("Authorization", "Bearer " + "A".repeat(43)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        String secret = token().path("token").asText();
        assertThat(http.send(b.copy().header("Authorization", "Bearer " + secret).header("Origin", "http://evil.example").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = http.send(b.copy().header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Mcp-Session-Id")).isPresent();
        // without the session id a later request is refused, and nothing reached the server as a call
        assertThat(http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(h.events()).noneMatch(e -> e instanceof dev.moat.audit.AuditEvent.Decision);
    }
}
