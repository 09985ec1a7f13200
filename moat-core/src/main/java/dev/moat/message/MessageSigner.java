package dev.moat.message;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs messages for one agent and one capability chain. Sequence numbers are strictly increasing
 * and survive restarts without a file: each is {@code max(previous + 1, now in microseconds)}, so
 * a restarted sender starts above anything it sent before as long as its clock does not run
 * backwards. Thread-safe.
 */
public final class MessageSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentKeypair agent;
    private final TokenChain chain;
    private final byte[] chainSha256;
    private final byte[] publicKey;
    private final Clock clock;
    private final String audience;
    private final AtomicLong lastSequence = new AtomicLong();

    /**
     * A signer whose messages name {@code audience}, the identity of the policy enforcement point
     * they are for ({@code PolicyEnforcementPoint.audience()}); any other PEP refuses them.
     */
    public MessageSigner(AgentKeypair agent, TokenChain chain, Clock clock, String audience) {
        this.audience = Objects.requireNonNull(audience, "audience");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.chainSha256 = chain.hash();
        this.publicKey = agent.publicKey().bytes();
    }

    public MessageSigner(AgentKeypair agent, TokenChain chain, String audience) {
        this(agent, chain, Clock.systemUTC(), audience);
    }

    /** Signs a request to perform {@code action} on {@code resource} with {@code body} as arguments. */
    public MessageEnvelope sign(String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        Instant now = clock.instant();
        long seq = nextSequence(now);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        MessageHeader header = new MessageHeader(Base64Url.encode(id), agent.id(), recipient, audience, resource, action,
                Sha256.hash(Domain.PAYLOAD, body), chainSha256, policy, seq, now);
        byte[] headerBytes = header.encode();
        byte[] sig = agent.sign(Domain.MESSAGE, headerBytes);
        return new MessageEnvelope(publicKey, headerBytes, sig, body.clone(), chain);
    }

    /** Signs with an explicit sequence number (tests and replay demonstrations). */
    public MessageEnvelope signWithSequence(long seq, String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        Instant now = clock.instant();
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        MessageHeader header = new MessageHeader(Base64Url.encode(id), agent.id(), recipient, audience, resource, action,
                Sha256.hash(Domain.PAYLOAD, body), chainSha256, policy, seq, now);
        byte[] headerBytes = header.encode();
        return new MessageEnvelope(publicKey, headerBytes, agent.sign(Domain.MESSAGE, headerBytes), body.clone(), chain);
    }

    /** The PEP identity this signer's messages are for. */
    public String audience() {
        return audience;
    }

    public TokenChain chain() {
        return chain;
    }

    public AgentKeypair agent() {
        return agent;
    }

    private long nextSequence(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return lastSequence.updateAndGet(prev -> Math.max(prev + 1, micros));
    }
}
