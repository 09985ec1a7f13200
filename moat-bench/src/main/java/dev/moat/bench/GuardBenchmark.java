package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
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
 * A guarded call end to end: sign as the agent, route, PEP (warm chain cache), audit append in
 * group-commit mode (JSONL, fsync every 64 entries or 50 ms). {@code guardedCall} is
 * {@code Guard.check}: one signature made, none verified (the in-process fast path; the 1-link
 * chain is a cache hit). {@code guardedCallFullVerify} is the same call with the PEP verifying the
 * message signature as it does for bytes from outside (one signature made, one verified).
 * {@code replay=memory}: in-memory replay store; {@code file}: the durable journal (a write per
 * call, an fsync only when a sender's reserved ceiling is raised, about once per second);
 * {@code file-fsync}: the journal with an fsync per call (reservation 0, the earlier behaviour).
 * Compare with {@code rawVerify}, one bare Ed25519 verification.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class GuardBenchmark {
    @Param({"memory", "file", "file-fsync"})
    public String replay;

    private Path dir;
    private Moat moat;
    private Guard guard;
    private ToolCall call;
    private RawEd25519 raw;
    private dev.moat.message.MessageSigner signer;
    private final byte[] args = "{\"text\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("moat-bench");
        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(2)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofHours(1)).build());
        AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(dir.resolve("audit.jsonl"))
                .durability(Durability.batched(64, Duration.ofMillis(50))).build(), AgentKeypair.generate("moat-audit")).open();
        moat = Moat.builder().agent(root).agent(worker).trustRoot("coordinator").capability("worker", chain)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .sequenceStore(replay.equals("memory") ? new InMemorySequenceStore()
                        : FileSequenceStore.open(dir.resolve("replay"), replay.equals("file") ? FileSequenceStore.DEFAULT_RESERVATION : 0))
                .auditLog(audit).build();
        guard = moat.guard();
        // one immutable call value, built once: the benchmark measures the guard, not the builder
        call = ToolCall.builder("worker", "tool://analyze", "read")
                .arguments("{\"text\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8)).build();
        if (!guard.check(call).allowed()) {
            throw new IllegalStateException("benchmark call must be allowed");
        }
        raw = new RawEd25519(new byte[400]);
        signer = guard.signer("worker").orElseThrow();
        if (!((dev.moat.pep.Decision) guardedCallFullVerify()).allowed()) {
            throw new IllegalStateException("full-verify call must be allowed");
        } // about the size of a signed message header
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        moat.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public boolean rawVerify() {
        return raw.verify();
    }

    @Benchmark
    public Object guardedCall() {
        return guard.check(call);
    }

    /** Sign with the agent's signer and let the PEP verify the signature in full (no fast path). */
    @Benchmark
    public Object guardedCallFullVerify() {
        return guard.pep().evaluate(signer.sign(Guard.RECIPIENT, "tool://analyze", "read", args, guard.pep().activePolicy()));
    }
}
