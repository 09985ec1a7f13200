package dev.moat.bench;

import dev.moat.audit.AuditLog;
import dev.moat.guard.AuditingListener;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import dev.moat.pep.PolicyEnforcementPoint;
import dev.moat.policy.PolicyBinding;
import dev.moat.relay.AgentRegistry;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
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
 * Route only: the PEP deciding on messages signed before the measurement (the shape of the Rust
 * original's route bench), so no signature is made in the timed part. Per call: one message
 * signature verified (always: these envelopes come from outside the PEP's caller, so there is no
 * fast path), the chain verified ({@code cache=off}: one signature per link; {@code cache=on}: a
 * lookup after the first call), replay check in memory, one audit entry built, hashed and chained
 * (store discards it). {@code source=wire} also parses the envelope from bytes. A fresh pool of
 * envelopes is signed before each iteration; an iteration that runs out fails instead of measuring
 * replays. Compare with {@code GuardBenchmark.rawVerify} in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RouteBenchmark {
    private static final PolicyBinding POLICY = PolicyBinding.of("bench", "policy".getBytes(StandardCharsets.UTF_8));

    @Param({"root", "link1"})
    public String chain;

    @Param({"on", "off"})
    public String cache;

    @Param({"envelope", "wire"})
    public String source;

    /** Envelopes signed before each iteration (on a loaded machine, {@code -p pool=3000} keeps set-up short). */
    @Param({"40000"})
    public int pool;

    private PolicyEnforcementPoint pep;
    private MessageSigner signer;
    private MessageEnvelope[] envelopes;
    private byte[][] wires;
    private int next;
    private final byte[] body = "{\"text\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain rootChain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(2)).build());
        TokenChain c;
        AgentKeypair sender;
        if (chain.equals("root")) {
            c = rootChain;
            sender = root;
        } else {
            c = rootChain.delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofHours(1)).build());
            sender = worker;
        }
        AgentRegistry registry = new AgentRegistry().register(root.identity()).register(worker.identity()).registerEndpoint("moat:guard");
        registry.trustRoot(root.id());
        AuditLog audit = AuditLog.builder(new DiscardingAuditStore(), AgentKeypair.generate("moat-audit")).open();
        pep = PolicyEnforcementPoint.builder(registry, new InMemorySequenceStore(), POLICY).audience("bench-pep")
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .chainCacheSize(cache.equals("on") ? 1024 : 0).listener(new AuditingListener(audit)).build();
        signer = new MessageSigner(sender, c, "bench-pep");
    }

    @Setup(Level.Iteration)
    public void sign() {
        envelopes = new MessageEnvelope[pool];
        wires = new byte[pool][];
        for (int i = 0; i < pool; i++) {
            envelopes[i] = signer.sign("moat:guard", "tool://analyze", "read", body, POLICY);
            if (source.equals("wire")) {
                wires[i] = envelopes[i].encode();
                envelopes[i] = null;
            }
        }
        next = 0;
        Decision first = source.equals("wire") ? pep.evaluate(wires[next++]) : pep.evaluate(envelopes[next++]);
        if (!first.allowed()) {
            throw new IllegalStateException("benchmark message must be allowed: " + first);
        }
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (next >= pool) {
            throw new IllegalStateException("pool of pre-signed envelopes exhausted: raise -p pool");
        }
    }

    @Benchmark
    public Decision route() {
        int i = next++;
        if (i >= pool) {
            return null; // the iteration is failed in check()
        }
        return source.equals("wire") ? pep.evaluate(wires[i]) : pep.evaluate(envelopes[i]);
    }
}
