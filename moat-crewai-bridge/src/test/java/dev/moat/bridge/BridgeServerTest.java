package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints over real HTTP: bind, decide (allow, deny, argument check), outcome, audit, health. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeServerTest {
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

    @Test
    void theSecretFileIsOwnerOnlyAndNamesTheLoopbackUrl() throws Exception {
        Path file = bridge.server.secretFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("\"url\":\"http://127.0.0.1:" + bridge.server.port() + "\"");
        assertThat(Base64Url.decode(bridge.token)).hasSize(32);
        assertThat(bridge.server.toString()).doesNotContain(bridge.token);
    }

    @Test
    void closingDeletesTheSecretFile() {
        bridge.close();
        assertThat(bridge.server.secretFile()).doesNotExist();
    }

    @Test
    void healthNamesTheAgentsItCanSignFor() {
        TestBridge.Answer a = bridge.get("/v1/health");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").textValue()).isEqualTo("ok");
        // owner holds no capability here, so there is nothing to sign for it
        assertThat(a.json().get("agents").toString()).isEqualTo("[\"researcher\",\"writer\"]");
    }

    @Test
    void anAllowedCallGetsADecisionIdAndTheDigestOfTheSignedArguments() {
        String s = bridge.bind("researcher");
        TestBridge.Answer a = bridge.decide(s, "echo", "{\"text\":\"hi\",\"a\":1}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("allowed").booleanValue()).isTrue();
        assertThat(a.json().get("resource").textValue()).isEqualTo("tool://echo");
        assertThat(a.json().get("decision").textValue()).startsWith("d_").hasSize(24);
        assertThat(a.json().get("arguments_sha256").textValue())
                .isEqualTo(Base64Url.encode(Sha256.hash("{\"a\":1,\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(a.json().has("reason")).isFalse();
    }

    @Test
    void aDeniedCallNamesStageAndReasonCode() {
        String s = bridge.bind("researcher");
        TestBridge.Answer a = bridge.decide(s, "send_email", "{}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("allowed").booleanValue()).isFalse();
        assertThat(a.json().get("stage").textValue()).isEqualTo("capability");
        assertThat(a.json().get("reason").textValue()).isEqualTo("not_granted");
        assertThat(a.json().get("explain").textValue())
                .isEqualTo("denied: this agent's capability does not grant this tool. (capability/not_granted)");
        assertThat(a.json().has("detail")).as("no policy values unless denials are detailed").isFalse();
    }

    @Test
    void aPathArgumentConfinesTheToolToTheGrantedFolder() {
        String s = bridge.bind("researcher");
        assertThat(bridge.decide(s, "read_file", "{\"path\":\"workspace/a/b.txt\"}").json().get("allowed").booleanValue()).isTrue();
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":\"secrets/key\"}"))).isEqualTo("not_granted");
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":\"workspace/../secrets/key\"}"))).isEqualTo("invalid_resource");
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":\"/etc/passwd\"}"))).isEqualTo("invalid_resource");
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":\"workspace\\\\..\\\\x\"}"))).isEqualTo("invalid_resource");
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":\"workspace%2F..%2Fx\"}"))).isEqualTo("invalid_resource");
    }

    @Test
    void aMissingOrNonTextPathArgumentIsRejectedByTheArgumentCheck() {
        String s = bridge.bind("researcher");
        // tool://read_file itself is not granted, so a missing path never reaches the body
        assertThat(reason(bridge.decide(s, "read_file", "{}"))).isEqualTo("not_granted");
        assertThat(reason(bridge.decide(s, "read_file", "{\"path\":7}"))).isEqualTo("not_granted");
    }

    @Test
    void eachAgentActsOnlyWithItsOwnCapability() {
        String writer = bridge.bind("writer");
        assertThat(reason(bridge.decide(writer, "echo", "{}"))).isEqualTo("not_granted");
        assertThat(bridge.decide(writer, "write_note", "{}").json().get("allowed").booleanValue()).isTrue();
    }

    @Test
    void theOutcomeIsAuditedOnceForItsDecision() {
        String s = bridge.bind("researcher");
        String d = bridge.decide(s, "echo", "{\"text\":\"x\"}").json().get("decision").textValue();
        long before = bridge.moat.audit().size();
        String body = "{\"session\":\"" + s + "\",\"decision\":\"" + d + "\",\"status\":\"ok\",\"result\":\"r\",\"micros\":12}";
        assertThat(bridge.post("/v1/outcomes", body).status()).isEqualTo(200);
        assertThat(bridge.moat.audit().size()).isEqualTo(before + 1);
        TestBridge.Answer again = bridge.post("/v1/outcomes", body);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").textValue()).isEqualTo("unknown_decision");
    }

    @Test
    void anErrorOutcomeNeedsItsType() {
        String s = bridge.bind("researcher");
        String d = bridge.decide(s, "echo", "{}").json().get("decision").textValue();
        TestBridge.Answer a = bridge.post("/v1/outcomes", "{\"session\":\"" + s + "\",\"decision\":\"" + d
                + "\",\"status\":\"error\",\"micros\":1}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(bridge.post("/v1/outcomes", "{\"session\":\"" + s + "\",\"decision\":\"" + d
                + "\",\"status\":\"error\",\"error_type\":\"IOError\",\"micros\":1}").status()).isEqualTo(200);
    }

    @Test
    void aDecisionCannotBeReportedFromAnotherSession() {
        String s1 = bridge.bind("researcher");
        String s2 = bridge.bind("researcher");
        String d = bridge.decide(s1, "echo", "{}").json().get("decision").textValue();
        String body = "\",\"decision\":\"" + d + "\",\"status\":\"ok\",\"micros\":1}";
        assertThat(bridge.post("/v1/outcomes", "{\"session\":\"" + s2 + body).json().get("error").textValue()).isEqualTo("unknown_decision");
        assertThat(bridge.post("/v1/outcomes", "{\"session\":\"" + s1 + body).status()).isEqualTo(200);
    }

    @Test
    void bindingAnAgentWithoutAnIdentityHereIsRefused() {
        TestBridge.Answer a = bridge.post("/v1/sessions", "{\"agent\":\"mallory\"}");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").textValue()).isEqualTo("unknown_agent");
    }

    @Test
    void aClosedSessionCanNoLongerDecide() {
        String s = bridge.bind("researcher");
        assertThat(bridge.post("/v1/sessions/close", "{\"session\":\"" + s + "\"}").status()).isEqualTo(200);
        TestBridge.Answer a = bridge.decide(s, "echo", "{}");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").textValue()).isEqualTo("unknown_session");
    }

    @Test
    void theAuditViewIsBoundedAndShowsNoArguments() {
        String s = bridge.bind("researcher");
        for (int i = 0; i < 5; i++) {
            bridge.decide(s, "echo", "{\"text\":\"secret-argument-" + i + "\"}");
        }
        TestBridge.Answer a = bridge.get("/v1/audit?limit=3");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("recent")).hasSize(3);
        assertThat(a.text()).doesNotContain("secret-argument");
        assertThat(a.json().get("audit_entries").longValue()).isEqualTo(bridge.moat.audit().size());
        assertThat(bridge.get("/v1/audit?limit=257").status()).isEqualTo(400);
        assertThat(bridge.get("/v1/audit?limit=x").status()).isEqualTo(400);
        assertThat(bridge.get("/v1/audit?other=1").status()).isEqualTo(400);
    }

    @Test
    void theDecisionIsInTheHashChainedAuditLog() {
        String s = bridge.bind("researcher");
        long before = bridge.moat.audit().size();
        bridge.decide(s, "send_email", "{}");
        assertThat(bridge.moat.audit().size()).isGreaterThan(before);
        assertThat(AuditEvent.Decision.TYPE).isEqualTo("decision");
    }

    private static String reason(TestBridge.Answer a) {
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.json().get("allowed").booleanValue()).as(a.text()).isFalse();
        return a.json().get("reason").textValue();
    }
}
