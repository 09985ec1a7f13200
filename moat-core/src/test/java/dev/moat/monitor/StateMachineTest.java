package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StateMachineTest {
    private final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
    private final AgentId a = agent(1);

    private RuntimeMonitor monitor(StateMachine fsm) {
        return RuntimeMonitor.builder(MonitorRules.builder().stateMachine(fsm).build()).clock(clock).build();
    }

    private static ObservedCall call(AgentId agent, CallKind kind) {
        return ObservedCall.of(agent, kind, "tool://x", "invoke");
    }

    @Test
    void legalPathPasses() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.BLOCK));
        for (CallKind k : new CallKind[] {CallKind.EXECUTE, CallKind.SECRET, CallKind.NETWORK, CallKind.FILE,
                CallKind.EXECUTE, CallKind.IDLE, CallKind.TERMINATE}) {
            assertThat(m.observe(call(a, k))).isInstanceOf(MonitorVerdict.Pass.class);
        }
        assertThat(m.stateOf(a)).contains(StateMachine.TERMINATED);
    }

    @Test
    void illegalTransitionIsBlockedAndStateStays() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.BLOCK));
        m.observe(call(a, CallKind.FILE));
        MonitorVerdict v = m.observe(call(a, CallKind.NETWORK));
        assertThat(v).isInstanceOf(MonitorVerdict.Blocked.class);
        assertThat(v.alerts()).singleElement().satisfies(al -> {
            assertThat(al.kind()).isEqualTo(RuleKind.TRANSITION);
            assertThat(al.ruleId()).isEqualTo("fsm");
            assertThat(al.action()).isEqualTo(MonitorAction.BLOCK);
        });
        assertThat(((MonitorVerdict.Blocked) v).failure().code()).isEqualTo(ReasonCode.MONITOR_BLOCKED);
        assertThat(m.stateOf(a)).contains(StateMachine.FILE_ACCESS);
    }

    @Test
    void illegalTransitionInAlertModeAlertsAndMovesOn() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.ALERT));
        m.observe(call(a, CallKind.SECRET));
        MonitorVerdict v = m.observe(call(a, CallKind.FILE));
        assertThat(v).isInstanceOf(MonitorVerdict.Alerted.class);
        assertThat(v.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.TRANSITION);
        assertThat(m.stateOf(a)).contains(StateMachine.FILE_ACCESS);
    }

    @Test
    void terminatedIsFinal() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.BLOCK));
        m.observe(call(a, CallKind.TERMINATE));
        assertThat(m.observe(call(a, CallKind.EXECUTE)).blocks()).isTrue();
        assertThat(m.observe(call(a, CallKind.IDLE)).blocks()).isTrue();
    }

    @Test
    void agentsHaveSeparateMachines() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.BLOCK));
        m.observe(call(a, CallKind.FILE));
        assertThat(m.observe(call(agent(2), CallKind.NETWORK)).blocks()).isFalse();
    }

    @Test
    void customStateSetAndCustomKind() {
        StateMachine fsm = StateMachine.builder("Draft")
                .ruleId("review-flow")
                .action(MonitorAction.BLOCK)
                .states("Draft", "Approving", "Publishing")
                .allow("Draft", "Draft", "Approving")
                .allow("Approving", "Publishing", "Draft")
                .map(CallKind.EXECUTE, "Draft")
                .build();
        RuntimeMonitor m = monitor(fsm);
        assertThat(m.observe(call(a, CallKind.of("Publishing"))).alerts())
                .extracting(MonitorAlert::ruleId).containsExactly("review-flow");
        assertThat(m.observe(call(a, CallKind.of("Approving"))).blocks()).isFalse();
        assertThat(m.observe(call(a, CallKind.of("Publishing"))).blocks()).isFalse();
        assertThat(m.stateOf(a)).contains("Publishing");
    }

    @Test
    void kindWithNoStateIsIllegal() {
        RuntimeMonitor m = monitor(StateMachine.defaults(MonitorAction.BLOCK));
        MonitorVerdict v = m.observe(call(a, CallKind.of("Teleport")));
        assertThat(v.blocks()).isTrue();
        assertThat(v.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.TRANSITION);
    }

    @Test
    void idleResetReturnsToInitialState() {
        StateMachine base = StateMachine.defaults(MonitorAction.BLOCK);
        StateMachine fsm = new StateMachine(base.ruleId(), base.action(), base.states(), base.initial(),
                base.transitions(), base.kindStates(), Duration.ofMinutes(5));
        RuntimeMonitor m = monitor(fsm);
        m.observe(call(a, CallKind.FILE));
        clock.advance(Duration.ofMinutes(4));
        assertThat(m.observe(call(a, CallKind.NETWORK)).blocks()).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(m.observe(call(a, CallKind.NETWORK)).blocks()).isFalse();
    }
}
