package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WindowRulesTest {
    private static final Duration TEN_S = Duration.ofSeconds(10);
    private final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
    private final AgentId a = agent(1);

    private RuntimeMonitor monitor(MonitorRules rules) {
        return RuntimeMonitor.builder(rules).clock(clock).build();
    }

    private static ObservedCall call(AgentId agent, String resource, String action) {
        return ObservedCall.of(agent, CallKind.EXECUTE, resource, action);
    }

    @Test
    void rateWindowBoundaries() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .rate(RateRule.perAgent("agent-rate", 3, TEN_S, MonitorAction.BLOCK)).build());
        // t=0, 1s, 2s: three calls are allowed
        for (int i = 0; i < 3; i++) {
            assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isFalse();
            clock.advance(Duration.ofSeconds(1));
        }
        // t=3s: fourth inside the window
        MonitorVerdict fourth = m.observe(call(a, "tool://x", "run"));
        assertThat(fourth.blocks()).isTrue();
        assertThat(fourth.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.RATE);
        // t=9.999s: the t=0 call is still inside (window is (now-10s, now])
        clock.advance(Duration.ofMillis(6_999));
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isTrue();
    }

    @Test
    void callLeavesWindowExactlyAfterWindow() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .rate(RateRule.perAgent("agent-rate", 2, TEN_S, MonitorAction.BLOCK)).build());
        m.observe(call(a, "tool://x", "run")); // t=0
        clock.advance(Duration.ofSeconds(5));
        m.observe(call(a, "tool://x", "run")); // t=5
        clock.advance(Duration.ofMillis(4_999)); // t=9.999: both inside
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isTrue();
        clock.advance(Duration.ofMillis(10_001)); // t=20: every earlier call is out
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isFalse();
    }

    @Test
    void exactBoundaryAtWindowLength() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .rate(RateRule.perAgent("agent-rate", 1, TEN_S, MonitorAction.BLOCK)).build());
        m.observe(call(a, "tool://x", "run"));
        clock.advance(Duration.ofMillis(9_999));
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isTrue();
        // the blocked call at 9.999 counts too; at 19.999 it is exactly one window old and out
        clock.advance(TEN_S);
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isFalse();
    }

    @Test
    void perActionAndPerResourceCountSeparately() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .rate(RateRule.perAction("per-action", 2, TEN_S, MonitorAction.BLOCK))
                .rate(RateRule.perResource("per-resource", 2, TEN_S, MonitorAction.ALERT))
                .build());
        assertThat(m.observe(call(a, "tool://a", "read"))).isInstanceOf(MonitorVerdict.Pass.class);
        assertThat(m.observe(call(a, "tool://b", "read"))).isInstanceOf(MonitorVerdict.Pass.class);
        assertThat(m.observe(call(a, "tool://a", "write"))).isInstanceOf(MonitorVerdict.Pass.class);
        MonitorVerdict thirdRead = m.observe(call(a, "tool://c", "read"));
        assertThat(thirdRead.alerts()).extracting(MonitorAlert::ruleId).containsExactly("per-action");
        MonitorVerdict thirdOnA = m.observe(call(a, "tool://a", "delete"));
        assertThat(thirdOnA).isInstanceOf(MonitorVerdict.Alerted.class);
        assertThat(thirdOnA.alerts()).extracting(MonitorAlert::ruleId).containsExactly("per-resource");
        assertThat(m.observe(call(agent(2), "tool://a", "read"))).isInstanceOf(MonitorVerdict.Pass.class);
    }

    @Test
    void rateFilterCountsOnlyMatchingCalls() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .rate(RateRule.perAgent("egress", 1, TEN_S, MonitorAction.BLOCK).onlyFor(StepMatcher.kind(CallKind.NETWORK)))
                .build());
        assertThat(m.observe(ObservedCall.of(a, CallKind.NETWORK, "net://api.example.com", "post")).blocks()).isFalse();
        assertThat(m.observe(call(a, "tool://x", "run")).blocks()).isFalse();
        assertThat(m.observe(ObservedCall.of(a, CallKind.NETWORK, "net://api.example.com", "post")).blocks()).isTrue();
    }

    @Test
    void distinctResourceCount() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .distinctResources(new DistinctResourceRule("fan-out", 3, TEN_S, MonitorAction.BLOCK)).build());
        for (String r : new String[] {"file:///a", "file:///b", "file:///c", "file:///a", "file:///b"}) {
            assertThat(m.observe(call(a, r, "read")).blocks()).isFalse();
        }
        MonitorVerdict fourth = m.observe(call(a, "file:///d", "read"));
        assertThat(fourth.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.DISTINCT_RESOURCES);
        clock.advance(TEN_S);
        assertThat(m.observe(call(a, "file:///e", "read")).blocks()).isFalse();
    }

    @Test
    void costBudgetPerWindow() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .costBudget(new CostBudgetRule("spend", 10.0, Duration.ofMinutes(1), MonitorAction.BLOCK)).build());
        ObservedCall four = ObservedCall.builder(a, CallKind.EXECUTE, "tool://llm", "complete").cost(4).build();
        assertThat(m.observe(four).blocks()).isFalse();
        assertThat(m.observe(four).blocks()).isFalse();
        MonitorVerdict over = m.observe(four);
        assertThat(over.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.COST_BUDGET);
        clock.advance(Duration.ofMinutes(1));
        assertThat(m.observe(four).blocks()).isFalse();
    }

    @Test
    void costWindowStaysBoundedAndNeverForgetsEarly() {
        RuntimeMonitor m = monitor(MonitorRules.builder()
                .costBudget(new CostBudgetRule("spend", 100.0, Duration.ofMinutes(1), MonitorAction.BLOCK))
                .limits(MonitorLimits.DEFAULTS.withMaxEventsPerWindow(4))
                .build());
        ObservedCall ten = ObservedCall.builder(a, CallKind.EXECUTE, "tool://llm", "complete").cost(10).build();
        for (int i = 0; i < 10; i++) {
            assertThat(m.observe(ten).blocks()).isFalse();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(m.observe(ten).blocks()).isTrue();
    }
}
