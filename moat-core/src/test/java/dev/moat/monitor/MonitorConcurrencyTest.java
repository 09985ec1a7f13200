package dev.moat.monitor;

import static dev.moat.monitor.Agents.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorConcurrencyTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private List<Integer> runTwice(Callable<Integer> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Callable<Integer> gated = () -> {
            start.await();
            return task.call();
        };
        Future<Integer> f1 = pool.submit(gated);
        Future<Integer> f2 = pool.submit(gated);
        start.countDown();
        return List.of(f1.get(), f2.get());
    }

    @Test
    void sharedAgentRateIsExactUnderTwoThreads() throws Exception {
        MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder()
                .rate(RateRule.perAgent("rate", 1_000, Duration.ofMinutes(1), MonitorAction.BLOCK)).build())
                .clock(clock).build();
        AgentId a = agent(1);
        List<Integer> passes = runTwice(() -> {
            int n = 0;
            for (int i = 0; i < 5_000; i++) {
                if (!m.observe(ObservedCall.of(a, CallKind.EXECUTE, "tool://x", "run")).blocks()) {
                    n++;
                }
            }
            return n;
        });
        assertThat(passes.get(0) + passes.get(1)).isEqualTo(1_000);
    }

    @Test
    void crossAgentSequencesAndEvictionUnderTwoThreads() throws Exception {
        MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
        AtomicInteger internal = new AtomicInteger();
        RuntimeMonitor m = RuntimeMonitor.builder(MonitorRules.builder()
                        .stateMachine(StateMachine.defaults(MonitorAction.ALERT))
                        .rate(RateRule.perResource("per-resource", 50, Duration.ofSeconds(1), MonitorAction.ALERT))
                        .sequence(SequenceRuleTest.exfiltration(MonitorAction.BLOCK))
                        .drift(IntentDriftTest.drift(MonitorAction.ALERT))
                        .limits(MonitorLimits.DEFAULTS.withMaxAgents(64).withMaxPartialsPerRule(128)
                                .withAgentTtl(Duration.ofSeconds(2)))
                        .build())
                .clock(clock)
                .listener((call, verdict) -> {
                    if (verdict.alerts().stream().anyMatch(x -> x.kind() == RuleKind.INTERNAL)) {
                        internal.incrementAndGet();
                    }
                })
                .build();
        AtomicInteger thread = new AtomicInteger();
        List<Integer> egressBlocked = runTwice(() -> {
            int me = thread.getAndIncrement();
            int blocked = 0;
            for (int i = 0; i < 20_000; i++) {
                AgentId who = agent(me * 1_000 + (i % 200));
                CallKind kind = switch (i % 4) {
                    case 0 -> CallKind.SECRET;
                    case 1 -> CallKind.EXECUTE;
                    case 2 -> CallKind.NETWORK;
                    default -> CallKind.IDLE;
                };
                MonitorVerdict v = m.observe(ObservedCall.of(who, kind, "tool://t" + (i % 7), "run"));
                if (kind == CallKind.NETWORK && v.blocks()) {
                    blocked++;
                }
                if (i % 100 == 0) {
                    clock.advance(Duration.ofMillis(10));
                }
            }
            return blocked;
        });
        assertThat(internal.get()).isZero();
        assertThat(egressBlocked.get(0) + egressBlocked.get(1)).isPositive();
        assertThat(m.trackedAgents()).isLessThanOrEqualTo(64 + 2);
        assertThat(m.pendingSequenceMatches()).isLessThanOrEqualTo(128);
    }
}
