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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signs messages for one agent and one capability chain. Sequence numbers are strictly increasing:
 * each is {@code max(previous + 1, now in microseconds)}, where {@code previous} starts at the
 * {@code lastAccepted} given at construction (the replay store's {@code last(sender)}; {@code Moat}
 * seeds every signer from it). Seeded, a restarted signer continues above everything the store
 * accepted whatever the clock did: a clock stepped back only makes the numbers count by one, a
 * clock stepped forward and then corrected never locks the agent out. The clock term is only a
 * fallback for an unseeded signer in another process (spec/PROTOCOL.md 10.1). Thread-safe.
 */
public final class MessageSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentKeypair agent;
    private final AtomicReference<Bound> chain;
    private final byte[] publicKey;
    private final Clock clock;
    private final String audience;
    private final AtomicLong lastSequence = new AtomicLong();

    /**
     * A signer whose messages name {@code audience}, the identity of the policy enforcement point
     * they are for ({@code PolicyEnforcementPoint.audience()}; any other PEP refuses them), and whose
     * first sequence number is above {@code lastAccepted} (the replay store's last accepted number
     * for this agent, -1 when it has accepted nothing).
     */
    public MessageSigner(AgentKeypair agent, TokenChain chain, Clock clock, String audience, long lastAccepted) {
        this.audience = Objects.requireNonNull(audience, "audience");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.chain = new AtomicReference<>(new Bound(Objects.requireNonNull(chain, "chain")));
        this.clock = Objects.requireNonNull(clock, "clock");
        if (lastAccepted < -1) {
            throw new IllegalArgumentException("lastAccepted must be -1 or a sequence number");
        }
        this.publicKey = agent.publicKey().bytes();
        this.lastSequence.set(lastAccepted);
    }

    /** An unseeded signer: its numbers rest on the clock alone across restarts. */
    public MessageSigner(AgentKeypair agent, TokenChain chain, Clock clock, String audience) {
        this(agent, chain, clock, audience, -1);
    }

    public MessageSigner(AgentKeypair agent, TokenChain chain, String audience) {
        this(agent, chain, Clock.systemUTC(), audience);
    }

    /** Signs a request to perform {@code action} on {@code resource} with {@code body} as arguments. */
    public MessageEnvelope sign(String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        return sign(chain.get(), recipient, resource, action, body, policy);
    }

    /**
     * Signs with another chain held by the same agent (a per-user or per-request capability that
     * this agent delegated to itself); it shares this signer's sequence numbers. The chain's leaf
     * is not checked here: the PEP refuses a chain whose subject is not the sender.
     */
    public MessageEnvelope sign(TokenChain with, String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        return sign(new Bound(Objects.requireNonNull(with, "with")), recipient, resource, action, body, policy);
    }

    private MessageEnvelope sign(Bound bound, String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        byte[] chainSha256 = bound.sha256;
        TokenChain chain = bound.chain;
        Instant now = clock.instant();
        long seq = nextSequence(now);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        MessageHeader header = new MessageHeader(Base64Url.encode(id), agent.id(), recipient, audience, resource, action,
                Sha256.hash(Domain.PAYLOAD, body), chainSha256, policy, seq, now);
        byte[] headerBytes = header.encode();
        byte[] sig = agent.sign(Domain.MESSAGE, headerBytes);
        return new MessageEnvelope(publicKey, headerBytes, sig, body.clone(), chain, this, header);
    }

    /** Signs with an explicit sequence number (tests and replay demonstrations). */
    public MessageEnvelope signWithSequence(long seq, String recipient, String resource, String action, byte[] body, PolicyBinding policy) {
        Instant now = clock.instant();
        Bound bound = chain.get();
        TokenChain chain = bound.chain;
        byte[] chainSha256 = bound.sha256;
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        MessageHeader header = new MessageHeader(Base64Url.encode(id), agent.id(), recipient, audience, resource, action,
                Sha256.hash(Domain.PAYLOAD, body), chainSha256, policy, seq, now);
        byte[] headerBytes = header.encode();
        return new MessageEnvelope(publicKey, headerBytes, agent.sign(Domain.MESSAGE, headerBytes), body.clone(), chain, this, header);
    }

    /** The PEP identity this signer's messages are for. */
    public String audience() {
        return audience;
    }

    /** The chain calls are signed with now (it changes when the capability is renewed). */
    public TokenChain chain() {
        return chain.get().chain;
    }

    /**
     * Replaces the chain this signer presents, atomically: a call signs with the old chain or the
     * new one, never a mix (the chain and its hash are swapped as one value). Renewal uses it.
     *
     * @throws IllegalArgumentException when the new chain's leaf is not issued to this agent
     */
    public void renew(TokenChain next) {
        var leaf = Objects.requireNonNull(next, "next").leafClaims();
        if (!leaf.isOk() || !leaf.orThrow().subject().equals(agent.id())) {
            throw new IllegalArgumentException("the renewed capability is not issued to " + agent.name());
        }
        chain.set(new Bound(next));
    }

    /** A chain with its hash, swapped as one value. */
    private static final class Bound {
        final TokenChain chain;
        final byte[] sha256;

        Bound(TokenChain chain) {
            this.chain = chain;
            this.sha256 = chain.hash();
        }
    }

    /** The last sequence number this signer issued (or was seeded with). */
    public long lastSequence() {
        return lastSequence.get();
    }

    public AgentKeypair agent() {
        return agent;
    }

    private long nextSequence(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return lastSequence.updateAndGet(prev -> {
            if (prev == Long.MAX_VALUE) {
                throw new IllegalStateException("sequence numbers exhausted");
            }
            return Math.max(prev + 1, micros);
        });
    }
}
