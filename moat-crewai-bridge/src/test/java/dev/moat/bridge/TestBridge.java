package dev.moat.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.Moat;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.StrictJson;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real sidecar over an in-memory Moat: owner (root) grants researcher echo and a folder. */
final class TestBridge implements AutoCloseable {
    final Moat moat;
    final BridgeServer server;
    final String token;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: status and parsed JSON body ({@code null} when the body is not JSON). */
    record Answer(int status, JsonNode json, String text) {}

    TestBridge(Path dir, BridgeConfig.Builder config, Clock clock) throws IOException {
        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair researcher = AgentKeypair.generate("researcher");
        AgentKeypair writer = AgentKeypair.generate("writer");
        TokenChain cap = TokenChain.issue(owner, Grant.to(researcher.id())
                .allow("tool://echo", "execute")
                .allow("tool://read_file/workspace/**", "execute")
                .validFor(Duration.ofHours(1)).build());
        TokenChain writerCap = TokenChain.issue(owner, Grant.to(writer.id())
                .allow("tool://write_note", "execute").validFor(Duration.ofHours(1)).build());
        this.moat = Moat.builder().agent(owner).agent(researcher).agent(writer).trustRoot("owner")
                .capability("researcher", cap).capability("writer", writerCap)
                .inMemoryStores(AgentKeypair.generate("moat-audit")).build();
        this.server = BridgeServer.start(moat.guard(), config.pathArguments(java.util.Map.of("read_file", "path")).build(), clock);
        JsonNode file = StrictJson.parseObject(Files.readAllBytes(server.secretFile()), 4096, "secret");
        this.token = file.get("token").textValue();
    }

    static TestBridge start(Path dir) throws IOException {
        return new TestBridge(dir, BridgeConfig.builder(dir.resolve("bridge.json")), Clock.systemUTC());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = StrictJson.parseObject(r.body(), 1 << 20, "answer");
            } catch (RuntimeException notJson) {
                json = null; // asserted by the tests: every answer of ours is JSON
            }
            return new Answer(r.statusCode(), json, text);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    URI uri(String path) {
        return URI.create(server.url() + path);
    }

    String bind(String agent) {
        Answer a = post("/v1/sessions", "{\"agent\":\"" + agent + "\"}");
        if (a.status() != 201) {
            throw new AssertionError(a.text());
        }
        return a.json().get("session").textValue();
    }

    Answer decide(String session, String tool, String argumentsJson) {
        return post("/v1/decisions", "{\"session\":\"" + session + "\",\"tool\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}");
    }

    @Override
    public void close() {
        server.close();
        moat.close();
    }
}
