package dev.moat.message;

import dev.moat.identity.AgentId;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import java.time.Instant;

/**
 * A message whose signature, sender key, body digest, chain digest and proof of possession
 * (sender = subject of the leaf token) have been checked by {@link MessageVerifier}. Only the
 * verifier constructs one. Replay, time window, rate and capability checks are the PEP's.
 */
public final class AuthenticatedMessage {
    private final MessageHeader header;
    private final MessageEnvelope envelope;

    AuthenticatedMessage(MessageHeader header, MessageEnvelope envelope) {
        this.header = header;
        this.envelope = envelope;
    }

    public String id() {
        return header.id();
    }

    public AgentId sender() {
        return header.sender();
    }

    public String recipient() {
        return header.recipient();
    }

    /** The identity of the policy enforcement point this message is for. */
    public String audience() {
        return header.audience();
    }

    public String resource() {
        return header.resource();
    }

    public String action() {
        return header.action();
    }

    public long sequence() {
        return header.sequence();
    }

    public Instant timestamp() {
        return header.timestamp();
    }

    public PolicyBinding policy() {
        return header.policy();
    }

    public TokenChain chain() {
        return envelope.chain;
    }

    /** A copy of the body (the canonical call arguments). */
    public byte[] body() {
        return envelope.body.clone();
    }

    int bodyLength() {
        return envelope.body.length;
    }

    /** The envelope exactly as verified, for audit records. */
    public MessageEnvelope envelope() {
        return envelope;
    }

    public MessageHeader header() {
        return header;
    }

    @Override
    public String toString() {
        return "AuthenticatedMessage[id=" + id() + ", sender=" + sender() + ", " + action() + " " + resource() + ", seq=" + sequence() + "]";
    }
}
