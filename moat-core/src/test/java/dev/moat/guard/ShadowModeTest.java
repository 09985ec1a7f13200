package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.monitor.CallKind;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StepMatcher;
import dev.moat.pep.Decision;
import dev.moat.pep.ShadowMode;
import dev.moat.pep.Stage;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audit-only (shadow) mode: a call enforce mode denies on an authorization stage runs and is
 * audited as would-deny; authenticity, replay, approval and internal errors are enforced anyway.
 */
@Timeout(30)
class ShadowModeTest {
    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair reader = AgentKeypair.generate("reader");
    private final AgentKeypair poster = AgentKeypair.generate("poster");
    private InMemoryAuditStore store = new InMemoryAuditStore();
    private final AtomicInteger ran = new AtomicInteger();

    private Moat moat(ShadowMode mode, MonitorAction monitor) {
        TokenChain rootCap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        Moat.Builder b = Moat.builder().agent(root).agent(reader).agent(poster).trustRoot("root")
                .capability("reader", rootCap.delegate(root, Grant.to(reader.id()).allow("tool://get_secret", "execute")
                        .allow("tool://files/**", "read").validFor(Duration.ofMinutes(10)).build()))
                .capability("poster", rootCap.delegate(root, Grant.to(poster.id()).allow("tool://http_post", "execute")
                        .validFor(Duration.ofMinutes(10)).build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open())
                .shadow(mode);
        if (monitor != null) {
            b.monitor(MonitorRules.builder().sequence(new SequenceRule("secret-then-egress",
                    List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                    Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, monitor)).build(),
                    CallKindResolver.of(Map.of("tool://get_secret", "secret", "tool://http_post", "network")));
        }
        return b.build();
    }

    private List<AuditEvent.Decision> decisions() {
        return store.entries().stream().map(e -> e.event()).filter(AuditEvent.Decision.class::isInstance)
                .map(AuditEvent.Decision.class::cast).toList();
    }

    private static ToolCall call(String agent, String resource, String action) {
        return ToolCall.builder(agent, resource, action).arguments("{}").build();
    }

    @Test
    void enforceModeDeniesTheUngrantedCallAndAuditOnlyRunsItAndAuditsAWouldDeny() {
        try (Moat moat = moat(ShadowMode.ENFORCE, null)) {
            GuardedCall<Integer> r = moat.guard().call(call("reader", "tool://http_post", "execute"), ran::incrementAndGet);
            assertThat(r).isInstanceOf(GuardedCall.Denied.class);
            assertThat(((GuardedCall.Denied<Integer>) r).decision().code()).isEqualTo(ReasonCode.NOT_GRANTED);
        }
        assertThat(ran.get()).isZero();
        store = new InMemoryAuditStore();
        try (Moat moat = moat(ShadowMode.ALL, null)) {
            GuardedCall<Integer> r = moat.guard().call(call("reader", "tool://http_post", "execute"), ran::incrementAndGet);
            assertThat(r).isInstanceOf(GuardedCall.Completed.class);
            Decision.Allow allow = ((GuardedCall.Completed<Integer>) r).decision();
            assertThat(allow.shadowed()).isTrue();
            assertThat(allow.wouldDeny().stage()).isEqualTo(Stage.CAPABILITY);
            assertThat(allow.wouldDeny().code()).isEqualTo(ReasonCode.NOT_GRANTED);
        }
        assertThat(ran.get()).isEqualTo(1);
        AuditEvent.Decision d = decisions().get(0);
        assertThat(d.allowed()).isTrue();
        assertThat(d.wouldDeny()).isTrue();
        assertThat(d.stage()).isEqualTo("capability");
        assertThat(d.reasonCode()).isEqualTo("not_granted");
        assertThat(d.headerSha256()).isNotNull();
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.ToolOutcome.class::isInstance).hasSize(1);
    }

    @Test
    void aGrantedCallIsAPlainAllowInAuditOnlyMode() {
        try (Moat moat = moat(ShadowMode.ALL, null)) {
            Decision d = moat.guard().check(call("reader", "tool://files/a.txt", "read"));
            assertThat(d).isInstanceOfSatisfying(Decision.Allow.class, a -> assertThat(a.shadowed()).isFalse());
        }
        assertThat(decisions()).singleElement().satisfies(e -> {
            assertThat(e.wouldDeny()).isFalse();
            assertThat(e.reasonCode()).isNull();
        });
    }

    @Test
    void perSenderModeShadowsOnlyThatSendersCalls() {
        try (Moat moat = moat(ShadowMode.senders(Set.of(reader.id())), null)) {
            assertThat(moat.guard().call(call("reader", "tool://http_post", "execute"), ran::incrementAndGet).completed()).isTrue();
            GuardedCall<Integer> poster = moat.guard().call(call("poster", "tool://get_secret", "execute"), ran::incrementAndGet);
            assertThat(poster).isInstanceOf(GuardedCall.Denied.class);
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(decisions()).extracting(AuditEvent.Decision::wouldDeny, AuditEvent.Decision::allowed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, true), org.assertj.core.groups.Tuple.tuple(false, false));
    }

    @Test
    void aRejectedArgumentRunsAndIsAuditedAsWouldDenyAtTheGuardStage() {
        CallCheck rule = allow -> Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument 'iban' must be one of [DE89...]");
        try (Moat moat = moat(ShadowMode.ALL, null)) {
            GuardedCall<Integer> r = moat.guard().call(ToolCall.builder("reader", "tool://files/a", "read").check(rule).build(),
                    ran::incrementAndGet);
            assertThat(r.completed()).isTrue();
            Decision d = moat.guard().decide(ToolCall.builder("reader", "tool://files/a", "read").check(rule).build());
            assertThat(d).isInstanceOfSatisfying(Decision.Allow.class, a -> assertThat(a.wouldDeny().stage()).isEqualTo(Stage.GUARD));
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(decisions()).filteredOn(AuditEvent.Decision::wouldDeny).hasSize(2)
                .allSatisfy(e -> assertThat(e.stage()).isEqualTo("guard"));
    }

    @Test
    void aRefusedApprovalAndAGuardInternalErrorStayDeniedInAuditOnlyMode() {
        CallCheck refused = allow -> Failure.of(ReasonCode.NOT_APPROVED, "the reviewer said no");
        CallCheck broken = allow -> {
            throw new IllegalStateException("bug");
        };
        try (Moat moat = moat(ShadowMode.ALL, null)) {
            GuardedCall<Integer> a = moat.guard().call(ToolCall.builder("reader", "tool://files/a", "read").check(refused).build(), ran::incrementAndGet);
            GuardedCall<Integer> b = moat.guard().call(ToolCall.builder("reader", "tool://http_post", "execute").check(broken).build(), ran::incrementAndGet);
            assertThat(a).isInstanceOfSatisfying(GuardedCall.Denied.class,
                    d -> assertThat(d.decision().code()).isEqualTo(ReasonCode.NOT_APPROVED));
            // the scope denial was shadowed, the internal error after it is not
            assertThat(b).isInstanceOfSatisfying(GuardedCall.Denied.class,
                    d -> assertThat(d.decision().code()).isEqualTo(ReasonCode.INTERNAL));
        }
        assertThat(ran.get()).isZero();
    }

    @Test
    void aReplayAForgedSignatureAndAnUnknownAgentAreEnforcedInAuditOnlyMode() {
        try (Moat moat = moat(ShadowMode.ALL, null)) {
            MessageSigner signer = moat.guard().signer("reader").orElseThrow();
            MessageEnvelope once = signer.sign(Guard.RECIPIENT, "tool://http_post", "execute", "{}".getBytes(), moat.pep().activePolicy());
            assertThat(moat.pep().evaluate(once)).isInstanceOfSatisfying(Decision.Allow.class, a -> assertThat(a.shadowed()).isTrue());
            assertThat(moat.pep().evaluate(once)).isInstanceOfSatisfying(Decision.Deny.class,
                    d -> assertThat(d.code()).isEqualTo(ReasonCode.REPLAY));

            byte[] wire = signer.sign(Guard.RECIPIENT, "tool://http_post", "execute", "{}".getBytes(), moat.pep().activePolicy()).encode();
            int at = new String(wire, java.nio.charset.StandardCharsets.UTF_8).lastIndexOf("\"sig\":\"") + 12;
            byte[] forged = wire.clone();
            forged[at] = (byte) (wire[at] == 'a' ? 'b' : 'a');
            assertThat(moat.pep().evaluate(forged)).isInstanceOfSatisfying(Decision.Deny.class,
                    d -> assertThat(d.stage()).isEqualTo(Stage.AUTHENTICATION));

            // a chain that does not verify (the poster signs with the reader's capability: not its subject)
            MessageSigner thief = new MessageSigner(poster, signer.chain(), java.time.Clock.systemUTC(), moat.pep().audience(), 1000);
            assertThat(moat.pep().evaluate(thief.sign(Guard.RECIPIENT, "tool://http_post", "execute", "{}".getBytes(), moat.pep().activePolicy())))
                    .isInstanceOfSatisfying(Decision.Deny.class, d -> assertThat(d.code()).isEqualTo(ReasonCode.NOT_SUBJECT));

            assertThat(moat.guard().call(call("mallory", "tool://http_post", "execute"), ran::incrementAndGet))
                    .isInstanceOf(GuardedCall.Denied.class);
        }
        assertThat(ran.get()).isZero();
    }

    @Test
    void aMonitorBlockRunsInAuditOnlyModeAndTheAlertIsStillAudited() {
        try (Moat moat = moat(ShadowMode.ALL, MonitorAction.BLOCK)) {
            assertThat(moat.guard().check(call("reader", "tool://get_secret", "execute")).allowed()).isTrue();
            GuardedCall<Integer> egress = moat.guard().call(call("poster", "tool://http_post", "execute"), ran::incrementAndGet);
            assertThat(egress).isInstanceOfSatisfying(GuardedCall.Completed.class, c -> {
                assertThat(c.decision().wouldDeny().stage()).isEqualTo(Stage.MONITOR);
                assertThat(c.decision().wouldDeny().code()).isEqualTo(ReasonCode.MONITOR_BLOCKED);
            });
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.MonitorAlert.class::isInstance).hasSize(1);
        assertThat(decisions()).filteredOn(AuditEvent.Decision::wouldDeny).singleElement()
                .satisfies(e -> assertThat(e.stage()).isEqualTo("monitor"));
    }

    @Test
    void onlyAuthorizationStagesAreCovered() {
        assertThat(ShadowMode.covers(Stage.CAPABILITY, ReasonCode.NOT_GRANTED)).isTrue();
        assertThat(ShadowMode.covers(Stage.CAPABILITY, ReasonCode.EXPLICITLY_DENIED)).isTrue();
        assertThat(ShadowMode.covers(Stage.GUARD, ReasonCode.ARGUMENT_REJECTED)).isTrue();
        assertThat(ShadowMode.covers(Stage.MONITOR, ReasonCode.MONITOR_BLOCKED)).isTrue();
        for (ReasonCode c : ReasonCode.values()) {
            for (Stage s : List.of(Stage.ROUTER, Stage.AUTHENTICATION, Stage.POLICY, Stage.EXECUTION)) {
                assertThat(ShadowMode.covers(s, c)).as(s + "/" + c).isFalse();
            }
            assertThat(ShadowMode.covers(Stage.CAPABILITY, ReasonCode.INTERNAL)).isFalse();
        }
        assertThat(ShadowMode.covers(Stage.CAPABILITY, ReasonCode.EXPIRED)).isFalse();
        assertThat(ShadowMode.covers(Stage.CAPABILITY, ReasonCode.NOT_SUBJECT)).isFalse();
        assertThat(ShadowMode.covers(Stage.GUARD, ReasonCode.NOT_APPROVED)).isFalse();
        assertThat(ShadowMode.covers(Stage.GUARD, ReasonCode.INTERNAL)).isFalse();
    }
}
