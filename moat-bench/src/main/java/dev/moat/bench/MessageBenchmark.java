package dev.moat.bench;

import dev.moat.crypto.Domain;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.message.MessageVerifier;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
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
 * Authenticated message create and verify with a 256-byte body, beside raw Bouncy Castle Ed25519
 * over the same header bytes. {@code messageVerifyWire} is the whole receiving path: strict
 * parse and canonical-form checks of the wire bytes, signature, header, digests, proof of
 * possession (the leaf of a chain seen before is not decoded again).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MessageBenchmark {
    private RawEd25519 raw;
    private MessageSigner signer;
    private MessageVerifier verifier;
    private PolicyBinding policy;
    private byte[] body;
    private byte[] wire;

    @Setup
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofMinutes(30)).build());
        signer = new MessageSigner(worker, chain, "bench-pep");
        verifier = new MessageVerifier();
        policy = PolicyBinding.of("bench", "policy".getBytes(StandardCharsets.UTF_8));
        body = new byte[256];
        java.util.Arrays.fill(body, (byte) 'x');
        MessageEnvelope env = signer.sign("moat:guard", "tool://analyze", "read", body, policy);
        wire = env.encode();
        verifier.verify(wire).orThrow();
        raw = new RawEd25519(Domain.MESSAGE.frame(env.header()));
    }

    @Benchmark
    public byte[] rawSign() {
        return raw.sign();
    }

    @Benchmark
    public boolean rawVerify() {
        return raw.verify();
    }

    /** Header, body digest, signature: the in-process envelope. */
    @Benchmark
    public MessageEnvelope messageCreate() {
        return signer.sign("moat:guard", "tool://analyze", "read", body, policy);
    }

    /** Create and encode to wire bytes. */
    @Benchmark
    public byte[] messageCreateWire() {
        return signer.sign("moat:guard", "tool://analyze", "read", body, policy).encode();
    }

    /** Parse the wire form, then signature, header, digests, proof of possession. */
    @Benchmark
    public Object messageVerifyWire() {
        return verifier.verify(wire);
    }
}
