package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sizes, schemas, counts and time: each refusal is a 4xx with a reason code. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeLimitsTest {
    @TempDir
    Path dir;

    private static void refused(TestBridge.Answer a, int status, String code) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.json().get("error").textValue()).isEqualTo(code);
        assertThat(a.text()).doesNotContain("at dev.moat").doesNotContain("Exception:");
    }

    @Test
    void schemaViolationsAreMalformed() throws Exception {
        try (TestBridge b = TestBridge.start(dir)) {
            String s = b.bind("researcher");
            refused(b.post("/v1/sessions", "{\"agent\":\"researcher\",\"admin\":true}"), 400, "malformed");
            refused(b.post("/v1/sessions", "{\"agent\":\"researcher\",\"agent\":\"writer\"}"), 400, "malformed");
            refused(b.post("/v1/sessions", "{}"), 400, "malformed");
            refused(b.post("/v1/sessions", "{\"agent\":7}"), 400, "malformed");
            refused(b.post("/v1/sessions", "[]"), 400, "malformed");
            refused(b.post("/v1/sessions", "{\"agent\":\"researcher\"} trailing"), 400, "malformed");
            refused(b.post("/v1/sessions", ""), 400, "malformed");
            refused(b.decide(s, "echo", "{\"x\":\"\\ud800\"}"), 400, "malformed"); // a lone surrogate has no canonical form
            refused(b.decide(s, "echo", "[1]"), 400, "malformed");
            refused(b.decide(s, "bad tool", "{}"), 400, "malformed");
            refused(b.decide(s, "echo", "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}"), 400, "malformed");
            refused(b.post("/v1/outcomes", "{\"session\":\"" + s + "\",\"decision\":\"d\",\"status\":\"maybe\",\"micros\":1}"), 400, "malformed");
            refused(b.post("/v1/outcomes", "{\"session\":\"" + s + "\",\"decision\":\"d\",\"status\":\"ok\",\"micros\":-1}"), 400, "malformed");
        }
    }

    @Test
    void badVerifyInputsAreMalformedNotInternal() throws Exception {
        try (TestBridge b = TestBridge.start(dir)) {
            refused(b.post("/v1/verify", "{\"kind\":\"chain\",\"input\":{\"trusted_roots\":[\"agent:nope\"],\"revoked_agents\":[],"
                    + "\"revoked_tokens\":[],\"now\":\"2026-01-01T00:00:00Z\",\"max_depth\":4,\"max_clock_skew_ms\":0,"
                    + "\"limits\":{\"max_token_bytes\":1000,\"max_links\":4,\"max_chain_bytes\":9000},\"chain\":\"{}\"}}"), 400, "malformed");
            refused(b.post("/v1/verify", "{\"kind\":\"chain\",\"input\":{\"trusted_roots\":[],\"revoked_agents\":[],"
                    + "\"revoked_tokens\":[],\"now\":\"yesterday\",\"max_depth\":4,\"max_clock_skew_ms\":0,"
                    + "\"limits\":{\"max_token_bytes\":1000,\"max_links\":4,\"max_chain_bytes\":9000},\"chain\":\"{}\"}}"), 400, "malformed");
            refused(b.post("/v1/verify", "{\"kind\":\"message\",\"input\":{\"limits\":{\"max_body_bytes\":0,"
                    + "\"max_envelope_bytes\":0,\"max_token_bytes\":0,\"max_links\":0,\"max_chain_bytes\":0},\"message\":\"x\"}}"), 400, "malformed");
            refused(b.post("/v1/verify", "{\"kind\":\"nope\",\"input\":{}}"), 400, "malformed");
            refused(b.post("/v1/verify", "{\"kind\":\"match\",\"input\":{\"pattern\":\"tool://a/**/b\",\"resource\":\"tool://a\"}}"), 400, "malformed");
            assertThat(b.post("/v1/verify", "{\"kind\":\"resource\",\"input\":{\"resource\":\"tool://a/../b\"}}").text())
                    .isEqualTo("{\"valid\":false}");
        }
    }

    @Test
    void transportMistakesAreRefused() throws Exception {
        try (TestBridge b = TestBridge.start(dir)) {
            refused(b.get("/v1/nothing"), 404, "not_found");
            refused(b.get("/v1/sessions"), 405, "method_not_allowed");
            refused(b.post("/v1/health", "{}"), 405, "method_not_allowed");
            refused(b.send(HttpRequest.newBuilder(b.uri("/v1/sessions")).header("Authorization", "Bearer " + b.token)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"researcher\"}"))),
                    415, "unsupported_media_type");
            refused(b.send(HttpRequest.newBuilder(b.uri("/v1/sessions?x=1")).header("Authorization", "Bearer " + b.token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"researcher\"}"))),
                    400, "malformed");
        }
    }

    @Test
    void anOversizedBodyIsRefusedBeforeParsing() throws Exception {
        try (TestBridge b = new TestBridge(dir, BridgeConfig.builder(dir.resolve("b.json")).maxRequestBytes(4096), Clock.systemUTC())) {
            String s = b.bind("researcher");
            refused(b.decide(s, "echo", "{\"text\":\"" + "x".repeat(5000) + "\"}"), 413, "oversized");
            assertThat(b.decide(s, "echo", "{\"text\":\"" + "x".repeat(3000) + "\"}").status()).isEqualTo(200);
        }
    }

    @Test
    void sessionsAreBoundedInNumber() throws Exception {
        try (TestBridge b = new TestBridge(dir, BridgeConfig.builder(dir.resolve("b.json")).maxSessions(2), Clock.systemUTC())) {
            b.bind("researcher");
            b.bind("writer");
            refused(b.post("/v1/sessions", "{\"agent\":\"researcher\"}"), 429, "too_many_sessions");
        }
    }

    @Test
    void pendingDecisionsAreBoundedAndNothingIsSignedBeyondTheBound() throws Exception {
        try (TestBridge b = new TestBridge(dir, BridgeConfig.builder(dir.resolve("b.json")).maxPending(3), Clock.systemUTC())) {
            String s = b.bind("researcher");
            for (int i = 0; i < 3; i++) {
                assertThat(b.decide(s, "echo", "{}").json().get("allowed").booleanValue()).isTrue();
            }
            long entries = b.moat.audit().size();
            refused(b.decide(s, "echo", "{}"), 429, "too_many_pending");
            assertThat(b.moat.audit().size()).isEqualTo(entries);
        }
    }

    @Test
    void anExpiredDecisionCannotBeReported() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestBridge b = new TestBridge(dir, BridgeConfig.builder(dir.resolve("b.json")).decisionTtl(Duration.ofSeconds(30)), clock)) {
            String s = b.bind("researcher");
            String d = b.decide(s, "echo", "{}").json().get("decision").textValue();
            clock.now = clock.now.plusSeconds(31);
            refused(b.post("/v1/outcomes", "{\"session\":\"" + s + "\",\"decision\":\"" + d + "\",\"status\":\"ok\",\"micros\":1}"),
                    404, "unknown_decision");
        }
    }

    @Test
    void expiredDecisionsAreSweptWhenTheBoundIsReached() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestBridge b = new TestBridge(dir, BridgeConfig.builder(dir.resolve("b.json")).maxPending(2).decisionTtl(Duration.ofSeconds(30)), clock)) {
            String s = b.bind("researcher");
            b.decide(s, "echo", "{}");
            b.decide(s, "echo", "{}");
            clock.now = clock.now.plusSeconds(31);
            assertThat(b.decide(s, "echo", "{}").json().get("allowed").booleanValue()).isTrue();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
