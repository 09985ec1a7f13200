package dev.moat.bench;

import dev.moat.identity.AgentId;
import dev.moat.monitor.CallKind;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.CostBudgetRule;
import dev.moat.monitor.DistinctResourceRule;
import dev.moat.monitor.DriftRule;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.MonitorVerdict;
import dev.moat.monitor.ObservedCall;
import dev.moat.monitor.RateRule;
import dev.moat.monitor.RuntimeMonitor;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StateMachine;
import dev.moat.monitor.StepMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Monitor overhead per call with a realistic rule set: the default state machine, three rate
 * rules (per agent, per action, per resource), a distinct-resource rule, a cost budget, two
 * sequence rules (cross-agent secret-then-egress, same-agent file-then-network) and intent drift.
 * Each agent in turn makes ten calls of mixed kinds (one secret resolution, one egress, one file
 * access) over 16 resources; {@code agents} agents rotate. Time is simulated (10 ms per call) so
 * windows hold realistic numbers of events; limits are realistic and the workload stays on the
 * pass path (checked in setup), so this measures bookkeeping, not alert allocation.
 * {@code baseline} is the bare call construction the guard pays anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MonitorBenchmark {

    @Param({"16", "1000"})
    public int agents;

    private RuntimeMonitor monitor;
    private AgentId[] ids;
    private String[] resources;
    /** One agent's turn: ten calls, every transition legal under the default state machine. */
    private static final CallKind[] KINDS = {CallKind.EXECUTE, CallKind.SECRET, CallKind.EXECUTE, CallKind.IDLE,
            CallKind.EXECUTE, CallKind.NETWORK, CallKind.EXECUTE, CallKind.FILE, CallKind.EXECUTE, CallKind.IDLE};
    private int i;
    private final SteppingClock clock = new SteppingClock();

    /** Simulated time: every call is 10 ms after the previous one (100 calls/s in total). */
    static final class SteppingClock extends Clock {
        long millis = 1_767_225_600_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        Duration minute = Duration.ofMinutes(1);
        MonitorRules rules = MonitorRules.builder()
                .stateMachine(StateMachine.defaults(MonitorAction.BLOCK))
                .rate(RateRule.perAgent("agent-rate", 1_000, minute, MonitorAction.BLOCK))
                .rate(RateRule.perAction("action-rate", 600, minute, MonitorAction.ALERT))
                .rate(RateRule.perResource("resource-rate", 300, minute, MonitorAction.ALERT))
                .distinctResources(new DistinctResourceRule("fan-out", 100, minute, MonitorAction.ALERT))
                .costBudget(new CostBudgetRule("spend", 100, minute, MonitorAction.BLOCK))
                .sequence(new SequenceRule("secret-then-egress",
                        List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK).withResource("net://exfil/**")),
                        Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, MonitorAction.BLOCK))
                .sequence(new SequenceRule("file-then-post",
                        List.of(StepMatcher.kind(CallKind.FILE).withResource("file:///etc/**"), StepMatcher.kind(CallKind.NETWORK)),
                        Duration.ofMinutes(5), Correlation.SAME_AGENT, MonitorAction.BLOCK))
                .drift(DriftRule.builder("drift", 50, MonitorAction.BLOCK)
                        .kind(CallKind.SECRET, 3).kind(CallKind.NETWORK, 3).action("delete", 2)
                        .tag("pii", 2).resource("tool://admin/**", 4).build())
                .build();
        monitor = RuntimeMonitor.builder(rules).clock(clock).build();
        ids = new AgentId[agents];
        char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
        for (int a = 0; a < agents; a++) {
            StringBuilder sb = new StringBuilder(AgentId.PREFIX);
            int v = a;
            for (int k = 0; k < 32; k++) {
                sb.append(alphabet[v & 31]);
                v >>>= 5;
            }
            ids[a] = new AgentId(sb.toString());
        }
        resources = new String[16];
        for (int r = 0; r < resources.length; r++) {
            resources[r] = "tool://service" + r + "/op";
        }
        // the workload must be the pass path: fail the run rather than measure something else
        for (int k = 0; k < 20_000; k++) {
            MonitorVerdict v = monitor.observe(next());
            if (!(v instanceof MonitorVerdict.Pass)) {
                throw new IllegalStateException("benchmark workload raised alerts: " + v.alerts());
            }
        }
        monitor = RuntimeMonitor.builder(rules).clock(clock).build();
        i = 0;
    }

    private ObservedCall next() {
        int n = i++ & Integer.MAX_VALUE;
        clock.millis += 10;
        CallKind kind = KINDS[n % KINDS.length];
        String resource = kind == CallKind.NETWORK ? "net://api.example.com/v1" : resources[n & 15];
        return new ObservedCall(ids[(n / KINDS.length) % agents], kind, resource, (n & 1) == 0 ? "read" : "write",
                null, 0.01, n & 31, java.util.Set.of());
    }

    @Benchmark
    public ObservedCall baseline() {
        return next();
    }

    @Benchmark
    public MonitorVerdict observe() {
        return monitor.observe(next());
    }
}
