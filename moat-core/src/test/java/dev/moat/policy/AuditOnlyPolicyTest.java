package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.guard.GuardEvent;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.pep.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code mode: audit-only} for a whole policy and for one grant, from the policy file to the verified audit log. */
@Timeout(60)
class AuditOnlyPolicyTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            id: rollout
            @MODE@
            agents:
              - name: admin
                key: keys/admin.key
              - name: assistant
                key: keys/assistant.key
              - name: billing
                key: keys/billing.key
            trusted_roots: [admin]
            grants:
              - issuer: admin
                subject: assistant
                allow:
                  - resource: "tool://inbox/**"
                    actions: [read]
                valid_for: 1h
                @GRANT_MODE@
              - issuer: admin
                subject: billing
                allow:
                  - resource: "tool://payments/quote"
                    actions: [execute]
                valid_for: 1h
            """;

    @BeforeEach
    void keys() {
        for (String a : List.of("admin", "assistant", "billing")) {
            KeyFiles.savePrivate(AgentKeypair.generate(a), dir.resolve("keys/" + a + ".key"));
        }
    }

    private MoatPolicy policy(String mode, String grantMode) throws Exception {
        Path p = dir.resolve("moat.yaml");
        Files.writeString(p, POLICY.replace("@MODE@", mode).replace("@GRANT_MODE@", grantMode));
        return MoatPolicy.load(p);
    }

    private GuardedCall<Integer> send(Moat moat, String agent, AtomicInteger ran) {
        return moat.guard().call(ToolCall.builder(agent, "tool://send_email", "execute").arguments("{}").build(), ran::incrementAndGet);
    }

    @Test
    void aPolicyInAuditOnlyModeRunsTheCallEnforceModeDeniesAndTheVerifiedLogSaysWouldDeny() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (Moat moat = PolicyRuntime.start(policy("", ""))) {
            assertThat(send(moat, "assistant", ran)).isInstanceOf(GuardedCall.Denied.class);
        }
        assertThat(ran.get()).isZero();
        List<GuardEvent> seen = new CopyOnWriteArrayList<>();
        try (Moat moat = PolicyRuntime.start(policy("mode: audit-only", ""), List.of(seen::add))) {
            GuardedCall<Integer> r = send(moat, "assistant", ran);
            assertThat(r).isInstanceOfSatisfying(GuardedCall.Completed.class, c -> assertThat(c.decision().shadowed()).isTrue());
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(GuardEvent.Outcome.WOULD_DENY);
            assertThat(e.reasonCode().code()).isEqualTo("not_granted");
        });
        Path log = dir.resolve(".moat/audit.jsonl");
        assertThat(AuditVerifier.forFile(log).build().verify()).isInstanceOf(AuditVerification.Intact.class);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).filteredOn(l -> l.contains("\"type\":\"decision\"")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.contains("\"wouldDeny\":true")).singleElement()
                .satisfies(l -> assertThat(l).contains("\"allowed\":true", "\"reasonCode\":\"not_granted\"", "\"stage\":\"capability\""));
        assertThat(lines).filteredOn(l -> l.contains("\"allowed\":false")).singleElement()
                .satisfies(l -> assertThat(l).doesNotContain("wouldDeny"));
    }

    @Test
    void aGrantInAuditOnlyModeShadowsOnlyItsSubject() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (Moat moat = PolicyRuntime.start(policy("", "mode: audit-only"))) {
            assertThat(send(moat, "assistant", ran).completed()).isTrue();
            assertThat(send(moat, "billing", ran)).isInstanceOf(GuardedCall.Denied.class);
            Decision granted = moat.guard().check(ToolCall.builder("assistant", "tool://inbox/x", "read").build());
            assertThat(granted).isInstanceOfSatisfying(Decision.Allow.class, a -> assertThat(a.shadowed()).isFalse());
        }
        assertThat(ran.get()).isEqualTo(1);
    }

    @Test
    void aToolInAuditOnlyModeShadowsOnlyCallsOnItsResource() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        String tools = "tools:\n  send_email: {mode: audit-only}\n  \"mcp/files/*\": {mode: audit-only}\n  pay: {mode: enforce}";
        try (Moat moat = PolicyRuntime.start(policy(tools, ""))) {
            assertThat(send(moat, "billing", ran)).isInstanceOfSatisfying(GuardedCall.Completed.class,
                    c -> assertThat(c.decision().wouldDeny().code().code()).isEqualTo("not_granted"));
            assertThat(moat.guard().call(ToolCall.builder("billing", "tool://mcp/files/read_file", "execute").build(), ran::incrementAndGet)
                    .completed()).isTrue();
            assertThat(moat.guard().call(ToolCall.builder("billing", "tool://pay", "execute").build(), ran::incrementAndGet))
                    .isInstanceOf(GuardedCall.Denied.class);
            assertThat(moat.guard().call(ToolCall.builder("billing", "tool://mcp/other/read_file", "execute").build(), ran::incrementAndGet))
                    .isInstanceOf(GuardedCall.Denied.class);
        }
        assertThat(ran.get()).isEqualTo(2);
        assertThatThrownBy(() -> policy("tools:\n  send_email: {mode: maybe}", "")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("tools.send_email.mode");
    }

    @Test
    void anUnknownModeIsAPolicyError() throws Exception {
        assertThatThrownBy(() -> policy("mode: shadow", "")).isInstanceOf(PolicyException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> policy("", "mode: dry-run")).isInstanceOf(PolicyException.class).hasMessageContaining("grants[0].mode");
    }

    @Test
    void denialsDetailedIsReadFromThePolicy() throws Exception {
        try (Moat moat = PolicyRuntime.start(policy("", ""))) {
            assertThat(moat.guard().denialText().detailed()).isFalse();
        }
        try (Moat moat = PolicyRuntime.start(policy("denials: {detailed: true}", ""))) {
            assertThat(moat.guard().denialText().detailed()).isTrue();
        }
    }
}
