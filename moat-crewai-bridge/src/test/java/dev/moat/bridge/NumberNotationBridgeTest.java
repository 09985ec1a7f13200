package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.internal.StrictJson;
import dev.moat.policy.MoatPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers in tool arguments reach the sidecar's signer and core's rules as the client wrote them
 * (issue 21 item 2): the rules compare by value ({@code 10000.0} and {@code 1e4} are both 10000,
 * {@code 12345678901234567891} is not {@code 12345678901234567890} even though both are the same
 * double), and the signed bytes, whose SHA-256 the sidecar reports, keep the notation.
 */
@Timeout(120)
class NumberNotationBridgeTest {
    @TempDir
    static Path dir;
    private static Moat moat;
    private static BridgeServer server;
    private static String token;
    private static String session;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        KeyFiles.savePrivate(AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
        Path file = dir.resolve("moat.yaml");
        Files.writeString(file, """
                version: 1
                id: numbers
                agents:
                  - {name: owner, key: keys/owner.key}
                  - {name: assistant, key: keys/assistant.key}
                trusted_roots: [owner]
                router: {rate_limit: 100000}
                grants:
                  - {issuer: owner, subject: assistant, allow: [{resource: "tool://**", actions: [execute]}], valid_for: 1h}
                tools:
                  pay:
                    arguments:
                      - {path: amount, required: true, min: "0.1", max: "10000"}
                  lookup:
                    arguments:
                      - {path: ref, required: true, min: "12345678901234567890", max: "12345678901234567890"}
                """);
        moat = PolicyRuntime.start(MoatPolicy.load(file));
        server = BridgeServer.start(moat.guard(), BridgeConfig.builder(dir.resolve("bridge.json")).build(), moat.toolRules());
        token = StrictJson.parseObject(Files.readAllBytes(server.secretFile()), 4096, "secret").get("token").textValue();
        session = post("/v1/sessions", "{\"agent\":\"assistant\"}").get("session").textValue();
    }

    @AfterAll
    static void stop() {
        server.close();
        moat.close();
    }

    private static JsonNode decide(String tool, String argumentsJson) throws Exception {
        return post("/v1/decisions", "{\"session\":\"" + session + "\",\"tool\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}");
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = StrictJson.parseObject(r.body(), 1 << 20, "answer");
        ((ObjectNode) body).put("http_status", r.statusCode());
        return body;
    }

    private static String sha(String canonical) {
        return Base64Url.encode(Sha256.hash(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000.0", "1e4", "1E+4", "10000", "0.1", "0.10", "1e-1", "9999.99999999999999"})
    void numbersWithinTheRangeAreAllowedByValueAndSignedAsWritten(String literal) throws Exception {
        // whitespace and member order in the request do not matter; the number's spelling does
        JsonNode a = decide("pay", "{ \"note\" : \"x\", \"amount\" : " + literal + " }");
        assertThat(a.path("allowed").asBoolean()).as(a.toString()).isTrue();
        assertThat(a.path("arguments_sha256").asText()).isEqualTo(sha("{\"amount\":" + literal + ",\"note\":\"x\"}"));
    }

    @Test
    void oneValueInTwoNotationsIsTwoSignedDocuments() throws Exception {
        JsonNode a = decide("pay", "{\"amount\":10000.0}");
        JsonNode b = decide("pay", "{\"amount\":1e4}");
        assertThat(a.path("allowed").asBoolean()).isTrue();
        assertThat(b.path("allowed").asBoolean()).isTrue();
        // what the tool gets is what was sent: a double round trip would have made both "10000.0"
        assertThat(a.path("arguments_sha256").asText()).isNotEqualTo(b.path("arguments_sha256").asText());
        assertThat(b.path("arguments_sha256").asText()).isEqualTo(sha("{\"amount\":1e4}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000.0000000000001", "1.0000000000000001e4", "0.0999999999999999999", "-0", "1e5", "-10000.0"})
    void numbersOutsideTheRangeAreDeniedByExactValue(String literal) throws Exception {
        // 10000.0000000000001 and 1.0000000000000001e4 are 10000.0 as doubles: a double would allow them
        JsonNode a = decide("pay", "{\"amount\":" + literal + "}");
        assertThat(a.path("http_status").asInt()).isEqualTo(200);
        assertThat(a.path("allowed").asBoolean()).as(a.toString()).isFalse();
        assertThat(a.path("reason").asText()).isEqualTo("argument_rejected");
    }

    @Test
    void largeIntegersKeepEveryDigit() throws Exception {
        JsonNode ok = decide("lookup", "{\"ref\":12345678901234567890}");
        JsonNode sameValue = decide("lookup", "{\"ref\":1.2345678901234567890e19}");
        assertThat(sameValue.path("allowed").asBoolean()).as(sameValue.toString()).isTrue();
        assertThat(sameValue.path("arguments_sha256").asText()).isEqualTo(sha("{\"ref\":1.2345678901234567890e19}"));
        assertThat(ok.path("allowed").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("arguments_sha256").asText()).isEqualTo(sha("{\"ref\":12345678901234567890}"));
        // the same double (1.2345678901234567E19) as the allowed value, but another number
        JsonNode next = decide("lookup", "{\"ref\":12345678901234567891}");
        JsonNode longer = decide("lookup", "{\"ref\":123456789012345678901234567890}");
        assertThat(longer.path("allowed").asBoolean()).as(longer.toString()).isFalse();
        assertThat(next.path("allowed").asBoolean()).as(next.toString()).isFalse();
        assertThat(next.path("reason").asText()).isEqualTo("argument_rejected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", "0x10"})
    void malformedOrOversizedNumbersAreRefusedWithATypedError(String literal) throws Exception {
        JsonNode a = decide("pay", "{\"amount\":" + literal + "}");
        assertThat(a.path("http_status").asInt()).as(a.toString()).isEqualTo(400);
        assertThat(a.path("error").asText()).isEqualTo("malformed");
        assertThat(a.has("allowed")).isFalse();
    }

    @Test
    void aHugeExponentIsDeniedNotCrashed() throws Exception {
        // valid JSON and within the length limit, but with no exact value in range: the rule denies
        JsonNode a = decide("pay", "{\"amount\":1e999999999}");
        assertThat(a.path("http_status").asInt()).as(a.toString()).isEqualTo(200);
        assertThat(a.path("allowed").asBoolean()).isFalse();
    }
}
