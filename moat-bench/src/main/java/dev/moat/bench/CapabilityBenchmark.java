package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.UserScope;
import dev.moat.audit.AuditLog;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Runtime capabilities: {@code narrowPerRequest} mints a capability narrowed to one request (the
 * agent delegates one scope to itself: one Ed25519 signature plus the attenuation check);
 * {@code checkPlain} is a guarded check with the agent's own chain, {@code checkPerUserCached} the
 * same for a user whose capability is cached (the template lookup and the chain choice on top of
 * it). In-memory replay state and an audit store that discards entries, so the guard's own cost shows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CapabilityBenchmark {
    private Moat moat;
    private Guard guard;
    private AgentKeypair assistant;
    private ToolCall plain;
    private ToolCall perUser;

    @Setup(Level.Trial)
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("admin");
        assistant = AgentKeypair.generate("assistant");
        AgentKeypair reader = AgentKeypair.generate("reader");
        TokenChain chain = TokenChain.issue(root, Grant.to(assistant.id()).allow("tool://inbox/**", "read")
                .allow("tool://search", "execute").validFor(Duration.ofHours(8)).build());
        TokenChain readerChain = TokenChain.issue(root, Grant.to(reader.id()).allow("tool://inbox/**", "read")
                .validFor(Duration.ofHours(8)).build());
        moat = Moat.builder().agent(root).agent(assistant).agent(reader).trustRoot("admin")
                .capability("assistant", chain).capability("reader", readerChain)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new DiscardingAuditStore(), AgentKeypair.generate("moat-audit")).open()).build();
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read").validFor(Duration.ofMinutes(30)));
        guard = moat.guard();
        plain = ToolCall.builder("reader", "tool://inbox/alice/1", "read").arguments("{}").build();
        perUser = ToolCall.builder("assistant", "tool://inbox/alice/1", "read").arguments("{}").context(CallContext.user("alice")).build();
        if (!guard.check(plain).allowed() || !guard.check(perUser).allowed()) {
            throw new IllegalStateException("benchmark calls must be allowed");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        moat.close();
    }

    @Benchmark
    public Object narrowPerRequest() {
        return moat.capabilities().narrow("assistant", "alice", Grant.to(assistant.id()).allow("tool://inbox/alice/1", "read")
                .validFor(Duration.ofMinutes(1)).build());
    }

    @Benchmark
    public Object checkPlain() {
        return guard.check(plain);
    }

    @Benchmark
    public Object checkPerUserCached() {
        return guard.check(perUser);
    }
}
