package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FailClosedTest {

    @Test
    void listenerSeesEveryNonPassVerdict() {
        List<MonitorVerdict> seen = new ArrayList<>();
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder()
                        .stateMachine(StateMachine.defaults(MonitorAction.BLOCK)).build())
                .clock(MutableClock.atEpochPlus(Duration.ZERO))
                .listener((call, verdict) -> seen.add(verdict))
                .build();
        m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://x", "run"));
        m.observe(ObservedCall.of(agent(1), CallKind.TERMINATE, "tool://x", "stop"));
        MonitorVerdict blocked = m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://x", "run"));
        assertThat(seen).containsExactly(blocked);
    }

    @Test
    void failingListenerTurnsAlertIntoInternalBlock() {
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder()
                        .stateMachine(StateMachine.defaults(MonitorAction.ALERT)).build())
                .clock(MutableClock.atEpochPlus(Duration.ZERO))
                .listener((call, verdict) -> {
                    throw new IllegalStateException("audit store down");
                })
                .build();
        m.observe(ObservedCall.of(agent(1), CallKind.TERMINATE, "tool://x", "stop"));
        MonitorVerdict v = m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://x", "run"));
        assertThat(v).isInstanceOf(MonitorVerdict.Blocked.class);
        assertThat(v.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.TRANSITION, RuleKind.INTERNAL);
        assertThat(((MonitorVerdict.Blocked) v).failure().code()).isEqualTo(ReasonCode.INTERNAL);
    }

    @Test
    void internalErrorBlocks() {
        Clock broken = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("clock source unavailable");
            }

            @Override
            public long millis() {
                throw new IllegalStateException("clock source unavailable");
            }
        };
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.none()).clock(broken).build();
        MonitorVerdict v = m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://x", "run"));
        assertThat(v).isInstanceOf(MonitorVerdict.Blocked.class);
        assertThat(v.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.INTERNAL);
        assertThat(((MonitorVerdict.Blocked) v).failure().code()).isEqualTo(ReasonCode.INTERNAL);
    }

    @Test
    void noRulesMeansPass() {
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.none()).build();
        assertThat(m.observe(ObservedCall.of(agent(1), CallKind.NETWORK, "net://x", "get"))).isInstanceOf(MonitorVerdict.Pass.class);
    }

    @Test
    void duplicateRuleIdsAreRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> MonitorRules.builder()
                .rate(RateRule.perAgent("r", 1, Duration.ofSeconds(1), MonitorAction.ALERT))
                .rate(RateRule.perAction("r", 1, Duration.ofSeconds(1), MonitorAction.ALERT))
                .build());
    }
}
