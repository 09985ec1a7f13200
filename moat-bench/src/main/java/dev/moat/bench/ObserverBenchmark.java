package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a decision observer costs on the guard's path: {@code guard.check} of an allowed and of a
 * denied call, with no observer and with one that counts (in-memory replay state, an audit log that
 * discards, so the guard itself is what is measured). The denied call also pays the denial log's
 * rate limiter (its lines are suppressed after ten a second).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ObserverBenchmark {
    @Param({"none", "counting"})
    public String observer;

    private Moat moat;
    private Guard guard;
    private ToolCall allowed;
    private ToolCall denied;
    private final LongAdder seen = new LongAdder();

    @Setup(Level.Trial)
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(2)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofHours(1)).build());
        Moat.Builder b = Moat.builder().agent(root).agent(worker).trustRoot("coordinator").capability("worker", chain)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new DiscardingAuditStore(), AgentKeypair.generate("moat-audit")).open());
        if (observer.equals("counting")) {
            b.observer(e -> seen.increment());
        }
        moat = b.build();
        guard = moat.guard();
        byte[] args = "{\"text\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8);
        allowed = ToolCall.builder("worker", "tool://analyze", "read").arguments(args).build();
        denied = ToolCall.builder("worker", "tool://payments", "execute").arguments(args).build();
        if (!guard.check(allowed).allowed() || guard.check(denied).allowed()) {
            throw new IllegalStateException("benchmark calls must be one allowed, one denied");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        moat.close();
    }

    @Benchmark
    public Object allowedCall() {
        return guard.check(allowed);
    }

    @Benchmark
    public Object deniedCall() {
        return guard.check(denied);
    }
}
