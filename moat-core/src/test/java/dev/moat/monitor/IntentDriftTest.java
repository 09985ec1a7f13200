package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IntentDriftTest {
    private final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
    private final AgentId a = agent(7);

    static DriftRule drift(MonitorAction action) {
        return DriftRule.builder("drift", 10, action)
                .newResource(0.5)
                .kind(CallKind.FILE, 1)
                .kind(CallKind.SECRET, 3)
                .kind(CallKind.NETWORK, 3)
                .action("write", 1)
                .action("delete", 2)
                .tag("pii", 2)
                .resource("tool://admin/**", 4)
                .sensitivityRise(0.05)
                .build();
    }

    /** Starts with a harmless search, escalates to HR data, admin tooling, a secret and egress. */
    static List<ObservedCall> escalatingTrajectory(AgentId a) {
        List<ObservedCall> calls = new ArrayList<>();
        calls.add(ObservedCall.of(a, CallKind.EXECUTE, "tool://search", "query")); // 0.5
        calls.add(ObservedCall.of(a, CallKind.EXECUTE, "tool://search", "query")); // 0
        calls.add(ObservedCall.builder(a, CallKind.FILE, "file:///docs/handbook.md", "read").sensitivity(20).build()); // 2.5 -> 3.0
        calls.add(ObservedCall.builder(a, CallKind.FILE, "file:///hr/salaries.csv", "read").sensitivity(60).tags("pii").build()); // 4.5 -> 7.5
        calls.add(ObservedCall.builder(a, CallKind.EXECUTE, "tool://admin/export_users", "run").sensitivity(70).build()); // 5.0 -> 12.5
        calls.add(ObservedCall.builder(a, CallKind.NETWORK, "net://paste.example", "post").sensitivity(70).build());
        return calls;
    }

    private RuntimeMonitor monitor(MonitorAction action) {
        return RuntimeMonitor.builder(MonitorRules.builder().drift(drift(action)).build()).clock(clock).build();
    }

    @Test
    void escalatingTrajectoryIsBlockedInBlockMode() {
        RuntimeMonitor m = monitor(MonitorAction.BLOCK);
        List<MonitorVerdict> verdicts = new ArrayList<>();
        for (ObservedCall c : escalatingTrajectory(a)) {
            verdicts.add(m.observe(c));
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(verdicts.subList(0, 4)).allMatch(v -> v instanceof MonitorVerdict.Pass);
        assertThat(verdicts.subList(4, 6)).allMatch(v -> v instanceof MonitorVerdict.Blocked);
        assertThat(verdicts.get(4).alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.DRIFT);
        assertThat(m.riskScore(a).orElseThrow()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void escalatingTrajectoryIsOnlyAlertedInAlertMode() {
        RuntimeMonitor m = monitor(MonitorAction.ALERT);
        List<MonitorVerdict> verdicts = new ArrayList<>();
        for (ObservedCall c : escalatingTrajectory(a)) {
            verdicts.add(m.observe(c));
        }
        assertThat(verdicts).noneMatch(MonitorVerdict::blocks);
        assertThat(verdicts.subList(4, 6)).allMatch(v -> v instanceof MonitorVerdict.Alerted);
    }

    @Test
    void repetitiveBenignWorkStaysBelowThreshold() {
        RuntimeMonitor m = monitor(MonitorAction.BLOCK);
        String[] tools = {"tool://search", "tool://calendar", "tool://weather"};
        for (int i = 0; i < 300; i++) {
            assertThat(m.observe(ObservedCall.builder(a, CallKind.EXECUTE, tools[i % 3], "query").sensitivity(10).build()))
                    .isInstanceOf(MonitorVerdict.Pass.class);
        }
        assertThat(m.riskScore(a).orElseThrow()).isLessThan(3);
    }

    @Test
    void scoreDecaysWithHalfLife() {
        DriftRule base = drift(MonitorAction.BLOCK);
        DriftRule halving = new DriftRule(base.id(), base.threshold(), base.action(), base.newResource(),
                base.kindWeights(), base.actionWeights(), base.tagWeights(), base.resourceWeights(),
                base.sensitivityRise(), Duration.ofMinutes(10));
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder().drift(halving).build()).clock(clock).build();
        m.observe(ObservedCall.of(a, CallKind.SECRET, "secret://x", "resolve")); // 3.5
        clock.advance(Duration.ofMinutes(10));
        m.observe(ObservedCall.of(a, CallKind.SECRET, "secret://x", "resolve")); // halved, nothing new
        assertThat(m.riskScore(a).orElseThrow()).isCloseTo(1.75, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void sessionEndsAfterTtlAndScoreStartsOver() {
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder().drift(drift(MonitorAction.BLOCK))
                .limits(MonitorLimits.DEFAULTS.withAgentTtl(Duration.ofMinutes(5))).build()).clock(clock).build();
        for (ObservedCall c : escalatingTrajectory(a)) {
            m.observe(c);
        }
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://search", "query")).blocks()).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://search", "query")).blocks()).isFalse();
    }

    @Test
    void endSessionForgetsTheAgent() {
        RuntimeMonitor m = monitor(MonitorAction.BLOCK);
        for (ObservedCall c : escalatingTrajectory(a)) {
            m.observe(c);
        }
        m.endSession(a);
        assertThat(m.riskScore(a)).isEmpty();
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://search", "query")).blocks()).isFalse();
    }
}
