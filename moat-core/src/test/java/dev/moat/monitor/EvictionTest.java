package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EvictionTest {
    private final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);

    private static MonitorRules rules(MonitorLimits limits) {
        return MonitorRules.builder()
                .stateMachine(StateMachine.defaults(MonitorAction.BLOCK))
                .rate(RateRule.perResource("per-resource", 5, Duration.ofMinutes(1), MonitorAction.ALERT))
                .drift(IntentDriftTest.drift(MonitorAction.ALERT))
                .limits(limits)
                .build();
    }

    @Test
    void idleAgentsAreEvictedAfterTtl() {
        RuntimeMonitor m = RuntimeMonitor.builder(rules(MonitorLimits.DEFAULTS.withAgentTtl(Duration.ofMinutes(10))))
                .clock(clock).build();
        for (int i = 0; i < 50; i++) {
            m.observe(ObservedCall.of(agent(i), CallKind.EXECUTE, "tool://x", "run"));
        }
        assertThat(m.trackedAgents()).isEqualTo(50);
        clock.advance(Duration.ofMinutes(10));
        m.observe(ObservedCall.of(agent(1000), CallKind.EXECUTE, "tool://x", "run"));
        assertThat(m.trackedAgents()).isEqualTo(1);
        assertThat(m.stateOf(agent(0))).isEmpty();
    }

    @Test
    void agentsStillActiveAreKept() {
        RuntimeMonitor m = RuntimeMonitor.builder(rules(MonitorLimits.DEFAULTS.withAgentTtl(Duration.ofMinutes(10))))
                .clock(clock).build();
        m.observe(ObservedCall.of(agent(1), CallKind.FILE, "file:///a", "read"));
        m.observe(ObservedCall.of(agent(2), CallKind.FILE, "file:///a", "read"));
        clock.advance(Duration.ofMinutes(9));
        m.observe(ObservedCall.of(agent(1), CallKind.FILE, "file:///a", "read"));
        clock.advance(Duration.ofMinutes(2));
        m.observe(ObservedCall.of(agent(3), CallKind.EXECUTE, "tool://x", "run"));
        assertThat(m.stateOf(agent(1))).contains(StateMachine.FILE_ACCESS);
        assertThat(m.stateOf(agent(2))).isEmpty();
    }

    @Test
    void agentCountIsCapped() {
        RuntimeMonitor m = RuntimeMonitor.builder(rules(MonitorLimits.DEFAULTS.withMaxAgents(100))).clock(clock).build();
        for (int i = 0; i < 2_000; i++) {
            m.observe(ObservedCall.of(agent(i), CallKind.EXECUTE, "tool://x", "run"));
            clock.advance(Duration.ofMillis(1));
            assertThat(m.trackedAgents()).isLessThanOrEqualTo(100);
        }
        // the most recent agent is kept, the longest silent ones went first
        assertThat(m.stateOf(agent(1_999))).isPresent();
        assertThat(m.stateOf(agent(0))).isEmpty();
    }

    @Test
    void manyResourcesPerAgentStayBoundedAndKeepCounting() {
        RuntimeMonitor m = RuntimeMonitor.builder(rules(MonitorLimits.DEFAULTS.withMaxKeysPerRule(16).withMaxSessionMemory(16)))
                .clock(clock).build();
        for (int i = 0; i < 5_000; i++) {
            m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://r" + i, "run"));
        }
        // past the drift memory every resource counts as new: the score keeps growing (conservative)
        assertThat(m.riskScore(agent(1)).orElseThrow()).isGreaterThanOrEqualTo(5_000 * 0.5);
        // the most recent per-resource counter is still exact
        for (int i = 0; i < 4; i++) {
            assertThat(m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://r4999", "run")).alerts())
                    .extracting(MonitorAlert::ruleId).doesNotContain("per-resource");
        }
        assertThat(m.observe(ObservedCall.of(agent(1), CallKind.EXECUTE, "tool://r4999", "run")).alerts())
                .extracting(MonitorAlert::ruleId).contains("per-resource");
    }
}
