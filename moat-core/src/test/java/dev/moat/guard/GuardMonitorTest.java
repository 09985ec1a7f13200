package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.audit.AuditLog;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StepMatcher;
import dev.moat.monitor.CallKind;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime monitor inside the guard: a cross-agent exfiltration pattern, alert vs block. */
@Timeout(30)
class GuardMonitorTest {
    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair reader = AgentKeypair.generate("reader");
    private final AgentKeypair poster = AgentKeypair.generate("poster");
    private final InMemoryAuditStore store = new InMemoryAuditStore();

    private Moat moat(MonitorAction action) {
        TokenChain rootCap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        MonitorRules rules = MonitorRules.builder()
                .sequence(new SequenceRule("secret-then-egress",
                        List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                        Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, action))
                .build();
        CallKindResolver kinds = CallKindResolver.of(Map.of("tool://get_secret", "secret", "tool://http_post", "network"));
        return Moat.builder().agent(root).agent(reader).agent(poster).trustRoot("root")
                .capability("reader", rootCap.delegate(root, Grant.to(reader.id()).allow("tool://get_secret", "execute").validFor(Duration.ofMinutes(10)).build()))
                .capability("poster", rootCap.delegate(root, Grant.to(poster.id()).allow("tool://http_post", "execute").validFor(Duration.ofMinutes(10)).build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open())
                .monitor(rules, kinds)
                .build();
    }

    @Test
    void blockModeDeniesTheCallThatCompletesTheExfiltrationPattern() {
        AtomicInteger posted = new AtomicInteger();
        try (Moat moat = moat(MonitorAction.BLOCK)) {
            assertThat(moat.guard().check(ToolCall.builder("reader", "tool://get_secret", "execute").build()).allowed()).isTrue();
            GuardedCall<Integer> egress = moat.guard().call(ToolCall.builder("poster", "tool://http_post", "execute").arguments(new byte[0]).build(), posted::incrementAndGet);
            assertThat(egress).isInstanceOf(GuardedCall.Denied.class);
            Decision.Deny deny = ((GuardedCall.Denied<Integer>) egress).decision();
            assertThat(deny.stage()).isEqualTo(Stage.MONITOR);
            assertThat(deny.code()).isEqualTo(ReasonCode.MONITOR_BLOCKED);
        }
        assertThat(posted.get()).isZero();
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.MonitorAlert.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((AuditEvent.MonitorAlert) e).rule()).isEqualTo("secret-then-egress"));
    }

    @Test
    void alertModeLetsTheCallRunAndAuditsTheAlert() {
        AtomicInteger posted = new AtomicInteger();
        try (Moat moat = moat(MonitorAction.ALERT)) {
            moat.guard().check(ToolCall.builder("reader", "tool://get_secret", "execute").build());
            assertThat(moat.guard().call(ToolCall.builder("poster", "tool://http_post", "execute").arguments(new byte[0]).build(), posted::incrementAndGet).completed()).isTrue();
        }
        assertThat(posted.get()).isEqualTo(1);
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.MonitorAlert.class::isInstance).hasSize(1);
    }

    @Test
    void harmlessCallsPass() {
        try (Moat moat = moat(MonitorAction.BLOCK)) {
            assertThat(moat.guard().check(ToolCall.builder("poster", "tool://http_post", "execute").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("reader", "tool://get_secret", "execute").build()).allowed()).isTrue();
        }
    }
}
