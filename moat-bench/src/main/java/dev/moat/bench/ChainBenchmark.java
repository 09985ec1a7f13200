package dev.moat.bench;

import dev.moat.identity.AgentKeypair;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Full chain verification (no cache) for chains of 1, 2 and 4 links. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChainBenchmark {
    @Param({"1", "2", "4"})
    public int links;

    private TokenChain chain;
    private TokenVerifier verifier;

    @Setup
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("root");
        Instant expiry = Instant.now().plus(Duration.ofHours(1)); // one expiry: a child may not outlive its parent
        chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").expiresAt(expiry).build());
        AgentKeypair holder = root;
        for (int i = 1; i < links; i++) {
            AgentKeypair next = AgentKeypair.generate("agent" + i);
            chain = chain.delegate(holder, Grant.to(next.id()).allow("tool://**", "read").expiresAt(expiry).build());
            holder = next;
        }
        verifier = TokenVerifier.builder().trustRoot(root.id()).build();
        verifier.verify(chain).orThrow();
    }

    @Benchmark
    public Object verifyChain() {
        return verifier.verify(chain);
    }
}
