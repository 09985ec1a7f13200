package dev.moat.message;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.Sha256;
import dev.moat.internal.Rejection;
import dev.moat.token.CapabilityToken;

/**
 * Checks a message's own integrity, in this order (spec/PROTOCOL.md, "Message verification"):
 * the sender key is a valid point; the signature over the exact header bytes; the header parses
 * strictly; the sender id is derived from the key; the body and chain digests match; the sender
 * is the subject of the leaf token (no bearer use). Stateless and thread-safe; never throws.
 */
public final class MessageVerifier {
    private final MessageLimits limits;
    private final boolean checkSubject;

    public MessageVerifier(MessageLimits limits) {
        this(limits, true);
    }

    /**
     * With {@code checkSubject} false the proof-of-possession check (sender = leaf subject) is left
     * to the caller, which must then make it against the verified chain: the PEP does so in stage 3
     * with its cached chain, saving a leaf decode per message.
     */
    public MessageVerifier(MessageLimits limits, boolean checkSubject) {
        this.limits = limits;
        this.checkSubject = checkSubject;
    }

    public MessageVerifier() {
        this(MessageLimits.DEFAULT);
    }

    /** Parses and verifies wire bytes. */
    public Checked<AuthenticatedMessage> verify(byte[] wire) {
        Checked<MessageEnvelope> env = MessageEnvelope.parse(wire, limits);
        if (env instanceof Checked.Failed<MessageEnvelope> f) {
            return Checked.failed(f.failure());
        }
        return verify(env.orThrow());
    }

    /** Verifies an envelope in full, wherever it came from. */
    public Checked<AuthenticatedMessage> verify(MessageEnvelope env) {
        return verify(env, null);
    }

    /**
     * Verifies an envelope that {@code signer} may have just made in this process. When
     * {@link MessageEnvelope#isSignedBy(MessageSigner) env.isSignedBy(signer)} holds, the Ed25519
     * verification is skipped (the signature was made a moment ago with the private key of
     * {@code env}'s key, over these exact bytes); every other check still runs. Any other
     * envelope, or a {@code null} signer, is verified in full. spec/PROTOCOL.md 10.5.
     */
    public Checked<AuthenticatedMessage> verify(MessageEnvelope env, MessageSigner signer) {
        try {
            return Checked.ok(check(env, env != null && env.isSignedBy(signer)));
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.INTERNAL, "message verification failed: " + e.getClass().getSimpleName());
        }
    }

    private AuthenticatedMessage check(MessageEnvelope env, boolean signedHere) {
        if (env == null) {
            throw Rejection.malformed("no message");
        }
        if (env.body.length > limits.maxBodyBytes()) {
            throw new Rejection(ReasonCode.OVERSIZED, "message body exceeds " + limits.maxBodyBytes() + " bytes");
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.of(env.key);
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("sender key is not a valid Ed25519 public key");
        }
        if (!signedHere && !key.verify(Domain.MESSAGE, env.header, env.signature)) {
            throw new Rejection(ReasonCode.BAD_SIGNATURE, "message signature does not verify");
        }
        Checked<MessageHeader> decoded = env.peekHeader();
        if (decoded instanceof Checked.Failed<MessageHeader> f) {
            throw new Rejection(f.failure().code(), f.failure().detail());
        }
        MessageHeader h = decoded.orThrow();
        if (!h.sender().matches(key)) {
            throw new Rejection(ReasonCode.ID_KEY_MISMATCH, "sender id does not belong to the signing key");
        }
        if (!ConstantTime.equal(Sha256.hash(Domain.PAYLOAD, env.body), h.bodySha256())) {
            throw new Rejection(ReasonCode.DIGEST_MISMATCH, "body does not match the signed digest");
        }
        if (!ConstantTime.equal(env.chain.hash(), h.chainSha256())) {
            throw new Rejection(ReasonCode.DIGEST_MISMATCH, "token chain does not match the signed digest");
        }
        if (!checkSubject) {
            return new AuthenticatedMessage(h, env);
        }
        Checked<CapabilityToken> leaf = env.chain.leafClaims();
        if (leaf instanceof Checked.Failed<CapabilityToken> f) {
            throw new Rejection(f.failure().code(), "leaf token: " + f.failure().detail());
        }
        if (!leaf.orThrow().subject().equals(h.sender())) {
            throw new Rejection(ReasonCode.NOT_SUBJECT, "sender " + h.sender() + " is not the subject of the leaf token");
        }
        return new AuthenticatedMessage(h, env);
    }
}
