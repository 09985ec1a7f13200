package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.FileSequenceStore;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guarded calls ({@code Guard.check}, in-process fast path: one signature made, none verified,
 * one audit entry) from 1 and 2 threads, for one agent shared by the threads ({@code agents=1})
 * or one agent per thread ({@code agents=2}); throughput, so the 2-thread score over the 1-thread
 * score is the scaling. {@code replay=file} is the durable journal (no fsync per call).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GuardThreadsBenchmark {

    /** One Moat with two agents, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"1", "2"})
        public int agents;

        @Param({"memory", "file"})
        public String replay;

        Path dir;
        Moat moat;
        final ToolCall[] calls = new ToolCall[2];
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setup() throws Exception {
            dir = Files.createTempDirectory("moat-bench");
            AgentKeypair root = AgentKeypair.generate("coordinator");
            Moat.Builder b = Moat.builder().agent(root).trustRoot("coordinator")
                    .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                    .sequenceStore(replay.equals("file") ? FileSequenceStore.open(dir.resolve("replay")) : new InMemorySequenceStore())
                    .auditLog(AuditLog.builder(JsonlAuditStore.builder(dir.resolve("audit.jsonl"))
                            .durability(Durability.batched(64, Duration.ofMillis(50))).build(), AgentKeypair.generate("moat-audit")).open());
            TokenChain rootChain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(2)).build());
            byte[] args = "{\"text\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 2; i++) {
                AgentKeypair worker = AgentKeypair.generate("worker" + i);
                b.agent(worker).capability("worker" + i, rootChain.delegate(root,
                        Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofHours(1)).build()));
                calls[i] = ToolCall.builder("worker" + i, "tool://analyze", "read").arguments(args).build();
            }
            moat = b.build();
            for (ToolCall c : calls) {
                if (!moat.guard().check(c).allowed()) {
                    throw new IllegalStateException("benchmark call must be allowed");
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            moat.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Which agent this thread calls as. */
    @State(Scope.Thread)
    public static class Caller {
        ToolCall call;
        long denied;

        @Setup(Level.Trial)
        public void pick(Shared shared) {
            int n = shared.threads.getAndIncrement();
            call = shared.calls[shared.agents == 1 ? 0 : n % 2];
        }

        @TearDown(Level.Iteration)
        public void check() {
            if (denied > 0) {
                throw new IllegalStateException(denied + " calls were denied: the benchmark measures allowed calls");
            }
        }
    }

    private static Decision call(Shared s, Caller c) {
        Decision d = s.moat.guard().check(c.call);
        if (!d.allowed()) {
            c.denied++;
        }
        return d;
    }

    @Benchmark
    @Threads(1)
    public Decision oneThread(Shared s, Caller c) {
        return call(s, c);
    }

    @Benchmark
    @Threads(2)
    public Decision twoThreads(Shared s, Caller c) {
        return call(s, c);
    }
}
