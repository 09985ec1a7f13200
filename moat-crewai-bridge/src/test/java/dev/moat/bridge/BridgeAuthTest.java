package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint wants the per-start bearer token; anything else is 401 before the body is read. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeAuthTest {
    @TempDir
    Path dir;
    TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start(dir);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private TestBridge.Answer withAuth(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"researcher\"}"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return bridge.send(b);
    }

    @Test
    void everyEndpointRefusesAMissingToken() {
        for (String endpoint : BridgeServer.endpoints()) {
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            HttpRequest.Builder b = HttpRequest.newBuilder(bridge.uri(path));
            b = endpoint.startsWith("GET") ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
            TestBridge.Answer a = bridge.send(b);
            assertThat(a.status()).as(endpoint).isEqualTo(401);
            assertThat(a.json().get("error").textValue()).isEqualTo("unauthenticated");
        }
    }

    @Test
    void aWrongOrMangledTokenIsRefused() {
        String t = bridge.token;
        String flipped = (t.charAt(0) == 'A' ? 'B' : 'A') + t.substring(1);
        for (String auth : new String[] {"Bearer " + flipped, "Bearer " + t.substring(1), "Bearer " + t + "x",
                "bearer " + t, "Basic " + t, t, "Bearer  " + t, "Bearer " + t.toLowerCase(), "Bearer "}) {
            TestBridge.Answer a = withAuth("/v1/sessions", auth);
            assertThat(a.status()).as(auth).isEqualTo(401);
        }
        assertThat(withAuth("/v1/sessions", null).status()).isEqualTo(401);
        assertThat(withAuth("/v1/sessions", "Bearer " + t).status()).isEqualTo(201);
    }

    @Test
    void unauthenticatedRequestsAreRefusedEvenForUnknownPaths() {
        TestBridge.Answer a = withAuth("/nope", "Bearer wrong");
        assertThat(a.status()).isEqualTo(401);
    }

    @Test
    void aNewStartHasANewToken() throws Exception {
        try (TestBridge other = TestBridge.start(dir.resolve("second"))) {
            assertThat(other.token).isNotEqualTo(bridge.token);
            TestBridge.Answer a = withAuth("/v1/sessions", "Bearer " + other.token);
            assertThat(a.status()).isEqualTo(401);
        }
    }

    @Test
    void theServerListensOnLoopbackOnly() {
        assertThat(bridge.server.url()).startsWith("http://127.0.0.1:");
    }
}
