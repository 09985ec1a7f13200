package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.monitor.CallKind;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorAlert;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StepMatcher;
import dev.moat.pep.Stage;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The public decision observer: one event per call, final decisions, and an observer that throws changes nothing. */
@Timeout(30)
class DecisionObserverTest {
    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair reader = AgentKeypair.generate("reader");
    private final AgentKeypair poster = AgentKeypair.generate("poster");

    private Moat moat(DecisionObserver... observers) {
        TokenChain rootCap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        Moat.Builder b = Moat.builder().agent(root).agent(reader).agent(poster).trustRoot("root")
                .capability("reader", rootCap.delegate(root, Grant.to(reader.id()).allow("tool://get_secret", "execute")
                        .validFor(Duration.ofMinutes(10)).build()))
                .capability("poster", rootCap.delegate(root, Grant.to(poster.id()).allow("tool://http_post", "execute")
                        .validFor(Duration.ofMinutes(10)).build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("moat-audit")).open())
                .monitor(MonitorRules.builder().sequence(new SequenceRule("secret-then-egress",
                        List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                        Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, MonitorAction.BLOCK)).build(),
                        CallKindResolver.of(Map.of("tool://get_secret", "secret", "tool://http_post", "network")));
        for (DecisionObserver o : observers) {
            b.observer(o);
        }
        return b.build();
    }

    @Test
    void theObserverSeesOneFinalEventPerCallAndTheMonitorAlert() {
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        List<MonitorAlert> alerts = new CopyOnWriteArrayList<>();
        DecisionObserver o = new DecisionObserver() {
            @Override
            public void onDecision(GuardEvent event) {
                events.add(event);
            }

            @Override
            public void onMonitorAlert(MonitorAlert alert) {
                alerts.add(alert);
            }
        };
        try (Moat moat = moat(o)) {
            moat.guard().call(ToolCall.builder("reader", "tool://get_secret", "execute").build(), () -> 1);
            // allowed by the PEP, refused by the call's own check: one event, the final denial
            moat.guard().call(ToolCall.builder("reader", "tool://get_secret", "execute")
                    .check(allow -> Failure.of(ReasonCode.ARGUMENT_REJECTED, "no")).build(), () -> 1);
            moat.guard().call(ToolCall.builder("poster", "tool://http_post", "execute").build(), () -> 1);
            moat.guard().check(ToolCall.builder("reader", "tool://http_post", "execute").build());
        }
        assertThat(events).extracting(GuardEvent::outcome, GuardEvent::stage, GuardEvent::reasonCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Outcome.ALLOWED, null, null),
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Outcome.DENIED, Stage.GUARD, ReasonCode.ARGUMENT_REJECTED),
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Outcome.DENIED, Stage.MONITOR, ReasonCode.MONITOR_BLOCKED),
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Outcome.DENIED, Stage.CAPABILITY, ReasonCode.NOT_GRANTED));
        assertThat(events.get(0).messageId()).isNotNull();
        assertThat(events).allSatisfy(e -> assertThat(e.durationNanos()).isPositive());
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.ruleId()).isEqualTo("secret-then-egress"));
    }

    @Test
    void anObserverThatThrowsNeitherAllowsADenialNorBreaksTheCallNorSilencesTheNextObserver() {
        AtomicInteger ran = new AtomicInteger();
        List<GuardEvent> after = new CopyOnWriteArrayList<>();
        DecisionObserver broken = e -> {
            throw new IllegalStateException("observer bug");
        };
        DecisionObserver overflowing = e -> {
            throw new NoClassDefFoundError("io/opentelemetry/api/trace/Span");
        };
        try (Moat moat = moat(broken, overflowing, after::add)) {
            GuardedCall<Integer> denied = moat.guard().call(ToolCall.builder("reader", "tool://http_post", "execute").build(), ran::incrementAndGet);
            GuardedCall<Integer> allowed = moat.guard().call(ToolCall.builder("reader", "tool://get_secret", "execute").build(), ran::incrementAndGet);
            assertThat(denied).isInstanceOf(GuardedCall.Denied.class);
            assertThat(allowed.completed()).isTrue();
            assertThat(moat.guard().observerFailures()).isEqualTo(4);
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(after).hasSize(2);
    }

    @Test
    void withoutObserversNothingIsCounted() {
        try (Moat moat = moat()) {
            assertThat(moat.guard().check(ToolCall.builder("reader", "tool://get_secret", "execute").build()).allowed()).isTrue();
            assertThat(moat.guard().observerFailures()).isZero();
        }
    }

    @Test
    void coreRunsWithoutOpenTelemetryOnTheClassPath() {
        // moat-core has no OpenTelemetry dependency at all: spans and metrics come from moat-opentelemetry
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(ObserverProvider.discover()).isEmpty();
        try (Moat moat = moat()) {
            assertThat(moat.guard().check(ToolCall.builder("reader", "tool://get_secret", "execute").build()).allowed()).isTrue();
        }
    }
}
