package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SequenceRuleTest {
    private final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
    private final AgentId a = agent(1);
    private final AgentId b = agent(2);
    private final AgentId c = agent(3);

    static SequenceRule exfiltration(MonitorAction action) {
        return new SequenceRule("secret-then-egress",
                List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, action);
    }

    private RuntimeMonitor monitor(SequenceRule... rules) {
        MonitorRules.Builder b = MonitorRules.builder();
        for (SequenceRule r : rules) {
            b.sequence(r);
        }
        return RuntimeMonitor.builder(b.build()).clock(clock).build();
    }

    private static ObservedCall secret(AgentId agent) {
        return ObservedCall.of(agent, CallKind.SECRET, "secret://crm-api-key", "resolve");
    }

    private static ObservedCall egress(AgentId agent) {
        return ObservedCall.of(agent, CallKind.NETWORK, "net://uploads.example.org", "post");
    }

    @Test
    void crossAgentExfiltrationIsBlockedInBlockMode() {
        RuntimeMonitor m = monitor(exfiltration(MonitorAction.BLOCK));
        assertThat(m.observe(secret(a))).isInstanceOf(MonitorVerdict.Pass.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(m.observe(ObservedCall.of(b, CallKind.EXECUTE, "tool://summarise", "run"))).isInstanceOf(MonitorVerdict.Pass.class);
        MonitorVerdict v = m.observe(egress(b));
        assertThat(v).isInstanceOf(MonitorVerdict.Blocked.class);
        assertThat(v.alerts()).singleElement().satisfies(al -> {
            assertThat(al.kind()).isEqualTo(RuleKind.SEQUENCE);
            assertThat(al.ruleId()).isEqualTo("secret-then-egress");
            assertThat(al.agent()).isEqualTo(b);
        });
        assertThat(((MonitorVerdict.Blocked) v).failure().code()).isEqualTo(ReasonCode.MONITOR_BLOCKED);
        // a second accomplice is stopped as well
        assertThat(m.observe(egress(c)).blocks()).isTrue();
    }

    @Test
    void crossAgentExfiltrationIsOnlyAlertedInAlertMode() {
        RuntimeMonitor m = monitor(exfiltration(MonitorAction.ALERT));
        m.observe(secret(a));
        MonitorVerdict v = m.observe(egress(b));
        assertThat(v).isInstanceOf(MonitorVerdict.Alerted.class);
        assertThat(v.alerts()).extracting(MonitorAlert::kind).containsExactly(RuleKind.SEQUENCE);
    }

    @Test
    void outsideTheWindowNothingFires() {
        RuntimeMonitor m = monitor(exfiltration(MonitorAction.BLOCK));
        m.observe(secret(a));
        clock.advance(Duration.ofMinutes(5));
        assertThat(m.observe(egress(b))).isInstanceOf(MonitorVerdict.Pass.class);
    }

    @Test
    void orderMatters() {
        RuntimeMonitor m = monitor(exfiltration(MonitorAction.BLOCK));
        m.observe(egress(b));
        assertThat(m.observe(secret(a))).isInstanceOf(MonitorVerdict.Pass.class);
    }

    @Test
    void distinctAgentRuleIgnoresOneAgentDoingBoth() {
        RuntimeMonitor m = monitor(exfiltration(MonitorAction.BLOCK));
        m.observe(secret(a));
        assertThat(m.observe(egress(a))).isInstanceOf(MonitorVerdict.Pass.class);
    }

    @Test
    void sameAgentRuleFiresOnlyForOneAgent() {
        SequenceRule readThenPost = new SequenceRule("read-then-post",
                List.of(StepMatcher.kind(CallKind.FILE).withResource("file:///etc/**"), StepMatcher.kind(CallKind.NETWORK)),
                Duration.ofMinutes(5), Correlation.SAME_AGENT, MonitorAction.BLOCK);
        RuntimeMonitor m = monitor(readThenPost);
        m.observe(ObservedCall.of(a, CallKind.FILE, "file:///etc/passwd", "read"));
        assertThat(m.observe(egress(b))).isInstanceOf(MonitorVerdict.Pass.class);
        assertThat(m.observe(egress(a)).blocks()).isTrue();
    }

    @Test
    void dangerousAssemblySplitAcrossThreeAgentsIsBlocked() {
        SequenceRule assembly = new SequenceRule("assembly",
                List.of(StepMatcher.resource("tool://lab/order_precursor_a"),
                        StepMatcher.resource("tool://lab/order_precursor_b"),
                        StepMatcher.resource("tool://lab/schedule_synthesis")),
                Duration.ofHours(1), Correlation.DISTINCT_AGENTS, MonitorAction.BLOCK);
        RuntimeMonitor m = monitor(assembly);
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://lab/order_precursor_a", "run")).blocks()).isFalse();
        clock.advance(Duration.ofMinutes(10));
        assertThat(m.observe(ObservedCall.of(agent(9), CallKind.EXECUTE, "tool://lab/inventory", "run")).blocks()).isFalse();
        assertThat(m.observe(ObservedCall.of(b, CallKind.EXECUTE, "tool://lab/order_precursor_b", "run")).blocks()).isFalse();
        clock.advance(Duration.ofMinutes(10));
        MonitorVerdict last = m.observe(ObservedCall.of(c, CallKind.EXECUTE, "tool://lab/schedule_synthesis", "run"));
        assertThat(last.blocks()).isTrue();
        assertThat(last.alerts()).extracting(MonitorAlert::ruleId).containsExactly("assembly");
    }

    @Test
    void anyAgentRuleFiresForOneOrSeveralAgents() {
        SequenceRule any = new SequenceRule("any", List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                Duration.ofMinutes(5), Correlation.ANY_AGENT, MonitorAction.BLOCK);
        RuntimeMonitor m = monitor(any);
        m.observe(secret(a));
        assertThat(m.observe(egress(a)).blocks()).isTrue();
        assertThat(m.observe(egress(b)).blocks()).isTrue();
        assertThat(m.pendingSequenceMatches()).isEqualTo(1);
    }

    @Test
    void pendingMatchesAreBounded() {
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder()
                .sequence(exfiltration(MonitorAction.BLOCK))
                .limits(MonitorLimits.DEFAULTS.withMaxPartialsPerRule(64)).build()).clock(clock).build();
        for (int i = 0; i < 5_000; i++) {
            m.observe(secret(agent(i)));
        }
        assertThat(m.pendingSequenceMatches()).isLessThanOrEqualTo(64);
        // the most recent secret resolutions are still remembered
        assertThat(m.observe(egress(agent(100_000))).blocks()).isTrue();
    }

    /** Monitor steps match resources with the capability matcher (spec/PROTOCOL.md section 5). */
    @Test
    void stepResourcesMatchSegmentBySegmentAsCapabilityScopesDo() {
        assertThat(step("tool://*", "tool://send_email")).isTrue();
        assertThat(step("tool://*", "tool://a/b")).isFalse();
        assertThat(step("tool://*/read", "tool://db/read")).isTrue();
        assertThat(step("tool://*/read", "tool://read")).isFalse();
        assertThat(step("file:///etc/**", "file:///etc/ssh/sshd_config")).isTrue();
        assertThat(step("file:///etc/**", "file:///etc")).isTrue();
        assertThat(step("file:///etc/**", "file:///etcetera")).isFalse();
        assertThat(step("tool://**", "tool://any/depth/at/all")).isTrue();
        assertThat(step("tool://**", "net://api.example.com")).isFalse();
        assertThat(step("file://*", "file:///x")).isFalse(); // '*' never matches the empty root segment
        assertThat(step("tool://x/y", "tool://x")).isFalse();
    }

    @Test
    void aSequenceRuleOnAResourcePatternBlocksOnlyMatchingCalls() {
        SequenceRule rule = new SequenceRule("read-then-export",
                List.of(StepMatcher.resource("file:///hr/**"), StepMatcher.resource("tool://admin/*")),
                Duration.ofMinutes(5), Correlation.SAME_AGENT, MonitorAction.BLOCK);
        RuntimeMonitor m = monitor(rule);
        assertThat(m.observe(ObservedCall.of(a, CallKind.FILE, "file:///hr/salaries.csv", "read")).blocks()).isFalse();
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://admin/export/all", "run")).blocks()).isFalse();
        assertThat(m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://admin/export_users", "run")).blocks()).isTrue();
    }

    @Test
    void patternsOutsideTheProtocolGrammarAreRefusedWhenTheRuleIsMade() {
        assertThatThrownBy(() -> StepMatcher.resource("**")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepMatcher.resource("tool://pay*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepMatcher.resource("tool://**/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepMatcher.resource("file:///data/../etc/*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCallOnATraversingResourceCannotBeObservedAtAll() {
        // '..' would otherwise fill a '*' segment: such names never reach the monitor
        assertThatThrownBy(() -> ObservedCall.of(a, CallKind.FILE, "file:///data/../etc/passwd", "read"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObservedCall.of(a, CallKind.EXECUTE, "tool://x/", "run"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private boolean step(String pattern, String resource) {
        return StepMatcher.resource(pattern).matches(ObservedCall.of(a, CallKind.EXECUTE, resource, "run"));
    }
}
