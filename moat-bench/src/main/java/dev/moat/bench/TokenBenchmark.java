package dev.moat.bench;

import dev.moat.crypto.Domain;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token sign and verify beside raw Bouncy Castle Ed25519 over the same payload bytes, and
 * {@code isActionAllowed} on a verified token. Compare {@code tokenSign} with {@code rawSign} and
 * {@code tokenVerify} with {@code rawVerify}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TokenBenchmark {
    private RawEd25519 raw;
    private AgentKeypair issuer;
    private Grant grant;
    private TokenChain chain;
    private TokenVerifier verifier;
    private VerifiedCapability capability;

    @Setup
    public void setup() {
        issuer = AgentKeypair.generate("coordinator");
        grant = Grant.to(AgentKeypair.generate("worker").id())
                .allow("tool://analyze", "read", "execute")
                .deny("tool://analyze/secrets/**", "*")
                .limits(ResourceLimits.builder().maxFuel(1_000_000L).build())
                .validFor(Duration.ofHours(1)).build();
        chain = TokenChain.issue(issuer, grant);
        verifier = TokenVerifier.builder().trustRoot(issuer.id()).build();
        capability = verifier.verify(chain).orThrow();
        raw = new RawEd25519(Domain.TOKEN.frame(chain.links().get(0).payload()));
    }

    /** Raw Bouncy Castle: sign the same bytes a token signs. */
    @Benchmark
    public byte[] rawSign() {
        return raw.sign();
    }

    /** Raw Bouncy Castle: verify the same bytes a token verification verifies. */
    @Benchmark
    public boolean rawVerify() {
        return raw.verify();
    }

    /** Issue a root token: claims, canonical JSON, signature. */
    @Benchmark
    public TokenChain tokenSign() {
        return TokenChain.issue(issuer, grant);
    }

    /** Verify a one-link chain: signature, strict parse, canonical check, trust, expiry, revocation. */
    @Benchmark
    public Object tokenVerify() {
        return verifier.verify(chain);
    }

    private String resource = "tool://analyze";
    private String action = "read";

    /**
     * Baseline for {@code isActionAllowed}: the least a check can do, two string comparisons
     * (no validation, no pattern). The ratio shows what normal-form validation and matching add.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean isActionAllowedBaseline() {
        return resource.equals("tool://analyze") && action.equals("read");
    }

    /** Scope check on a verified token (segment matcher, denials first). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean isActionAllowed() {
        return capability.isActionAllowed(resource, action);
    }
}
