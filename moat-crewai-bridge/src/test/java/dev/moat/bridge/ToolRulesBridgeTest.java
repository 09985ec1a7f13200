package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.Moat;
import dev.moat.internal.StrictJson;
import dev.moat.tool.ConformanceCases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy file's {@code tools:} section applied by the CrewAI sidecar ({@code moat bridge serve}):
 * the shared conformance cases (spec/tool-rules/conformance.json) posted to a real sidecar over
 * HTTP as {@code /v1/decisions}, with the case's conversation.
 */
@Timeout(120)
class ToolRulesBridgeTest {
    @TempDir
    static Path dir;
    private static Moat moat;
    private static BridgeServer server;
    private static String token;
    private static String session;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        moat = ConformanceCases.start(dir, "");
        server = BridgeServer.start(moat.guard(), BridgeConfig.builder(dir.resolve("bridge.json")).build(), moat.toolRules());
        token = StrictJson.parseObject(Files.readAllBytes(server.secretFile()), 4096, "secret").get("token").textValue();
        session = post("/v1/sessions", "{\"agent\":\"assistant\"}").get("session").textValue();
    }

    @AfterAll
    static void stop() {
        server.close();
        moat.close();
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = StrictJson.parseObject(r.body(), 1 << 20, "answer");
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("http_status", r.statusCode());
        return body;
    }

    @TestFactory
    Stream<DynamicTest> theConformanceCasesThroughTheSidecar() {
        return ConformanceCases.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            JsonNode a = post("/v1/decisions", "{\"session\":\"" + session + "\",\"tool\":\"" + c.tool() + "\",\"conversation\":\""
                    + c.conversation() + "\",\"arguments\":" + new String(c.arguments().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) + "}");
            // every case reaches core's rules: the sidecar reads numbers as written, never as doubles
            assertThat(a.path("http_status").asInt()).as(c.name() + ": " + a).isEqualTo(200);
            if (c.allowed()) {
                assertThat(a.path("allowed").asBoolean()).as(c.name() + ": " + a).isTrue();
            } else {
                assertThat(a.path("allowed").asBoolean()).as(c.name() + ": " + a).isFalse();
                assertThat(a.path("reason").asText()).as(c.name()).isEqualTo("argument_rejected");
            }
        }));
    }
}
