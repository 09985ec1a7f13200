package dev.moat.token;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.internal.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies a {@link TokenChain} offline, root first, and at every link checks in this order
 * (spec/PROTOCOL.md, "Chain verification"): the issuer key is a valid point; the signature over
 * the exact payload bytes; the payload parses strictly and is canonical; the payload's issuer key
 * is the envelope key and the issuer id is derived from it; the root's issuer is trusted, or the
 * link continues its parent (issuer = parent subject, parent id, depth + 1); the depth cap; every
 * attenuation rule against the parent; the validity window; revocation of issuer, subject and
 * token. The first failure wins and names its link. Thread-safe; never throws.
 */
public final class TokenVerifier {
    private final Predicate<AgentId> trustedRoots;
    private final Clock clock;
    private final int maxDepth;
    private final RevocationCheck revocation;
    private final TokenLimits limits;
    private final Duration maxClockSkew;

    private TokenVerifier(Builder b) {
        this.trustedRoots = b.trustedRoots;
        this.clock = b.clock;
        this.maxDepth = b.maxDepth;
        this.revocation = b.revocation;
        this.limits = b.limits;
        this.maxClockSkew = b.maxClockSkew;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Clock clock() {
        return clock;
    }

    /** Parses and verifies a chain's wire bytes. */
    public Checked<VerifiedCapability> verify(byte[] chainJson) {
        Checked<TokenChain> parsed = TokenChain.parse(chainJson, limits);
        if (parsed instanceof Checked.Failed<TokenChain> f) {
            return Checked.failed(f.failure());
        }
        return verify(((Checked.Ok<TokenChain>) parsed).value());
    }

    /** Verifies a chain. */
    public Checked<VerifiedCapability> verify(TokenChain chain) {
        try {
            return Checked.ok(walk(chain));
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.INTERNAL, "chain verification failed: " + e.getClass().getSimpleName());
        }
    }

    private VerifiedCapability walk(TokenChain chain) {
        if (chain == null) {
            throw Rejection.malformed("no token chain");
        }
        List<SignedToken> signed = chain.links();
        if (signed.size() > limits.maxLinks()) {
            throw new Rejection(ReasonCode.OVERSIZED, "chain has " + signed.size() + " links, limit " + limits.maxLinks());
        }
        Instant now = clock.instant();
        List<CapabilityToken> verified = new ArrayList<>(signed.size());
        CapabilityToken parent = null;
        for (int i = 0; i < signed.size(); i++) {
            SignedToken link = signed.get(i);
            String at = "link " + i + ": ";
            Ed25519PublicKey key;
            try {
                key = Ed25519PublicKey.of(link.keyBytes());
            } catch (IllegalArgumentException e) {
                throw Rejection.malformed(at + "issuer key is not a valid Ed25519 public key");
            }
            if (!link.signatureValid(key)) {
                throw new Rejection(ReasonCode.BAD_SIGNATURE, at + "signature does not verify");
            }
            CapabilityToken t;
            try {
                t = link.decodeClaims(limits.maxTokenBytes());
            } catch (Rejection r) {
                throw new Rejection(r.failure().code(), at + r.failure().detail());
            }
            if (!ConstantTime.equal(t.issuerKey().bytes(), link.keyBytes()) || !t.issuer().matches(key)) {
                throw new Rejection(ReasonCode.ID_KEY_MISMATCH, at + "issuer id or key does not match the signing key");
            }
            if (parent == null) {
                if (t.parentId() != null || t.depth() != 0) {
                    throw new Rejection(ReasonCode.BROKEN_CHAIN, at + "the first link must be a root token");
                }
                if (!trustedRoots.test(t.issuer())) {
                    throw new Rejection(ReasonCode.UNTRUSTED_ROOT, at + "root issuer " + t.issuer() + " is not trusted");
                }
            } else {
                if (!t.issuer().equals(parent.subject())) {
                    throw new Rejection(ReasonCode.BROKEN_CHAIN, at + "issuer is not the subject of link " + (i - 1));
                }
                if (!parent.id().equals(t.parentId()) || t.depth() != parent.depth() + 1) {
                    throw new Rejection(ReasonCode.BROKEN_CHAIN, at + "parent id or depth does not continue link " + (i - 1));
                }
            }
            if (t.depth() > maxDepth) {
                throw new Rejection(ReasonCode.DEPTH_EXCEEDED, at + "depth " + t.depth() + " exceeds the cap of " + maxDepth);
            }
            if (parent != null) {
                String rule = Attenuation.violation(parent, t);
                if (rule != null) {
                    throw new Rejection(ReasonCode.BROADENED, at + rule + " (" + Attenuation.describe(rule) + ")");
                }
            }
            if (!now.isBefore(t.expiresAt())) {
                throw new Rejection(ReasonCode.EXPIRED, at + "expired at " + t.expiresAt());
            }
            if (t.issuedAt().isAfter(now.plus(maxClockSkew))) {
                throw new Rejection(ReasonCode.EXPIRED, at + "not valid before " + t.issuedAt());
            }
            if (revocation.isAgentRevoked(t.issuer()) || revocation.isAgentRevoked(t.subject())) {
                throw new Rejection(ReasonCode.REVOKED, at + "issuer or subject is revoked");
            }
            if (revocation.isTokenRevoked(t.id())) {
                throw new Rejection(ReasonCode.REVOKED, at + "token " + t.id() + " is revoked");
            }
            verified.add(t);
            parent = t;
        }
        return new VerifiedCapability(chain, verified);
    }

    /** Re-checks time and revocation for a cached capability (no signatures). */
    public Failure recheck(VerifiedCapability capability) {
        Instant now = clock.instant();
        int i = 0;
        for (CapabilityToken t : capability.links()) {
            if (!now.isBefore(t.expiresAt())) {
                return Failure.of(ReasonCode.EXPIRED, "link " + i + ": expired at " + t.expiresAt());
            }
            if (revocation.isAgentRevoked(t.issuer()) || revocation.isAgentRevoked(t.subject()) || revocation.isTokenRevoked(t.id())) {
                return Failure.of(ReasonCode.REVOKED, "link " + i + ": revoked");
            }
            i++;
        }
        return null;
    }

    /** Builder: nothing is trusted until a root is named. */
    public static final class Builder {
        private Predicate<AgentId> trustedRoots = id -> false;
        private Clock clock = Clock.systemUTC();
        private int maxDepth = Attenuation.DEFAULT_MAX_DEPTH;
        private RevocationCheck revocation = RevocationCheck.NONE;
        private TokenLimits limits = TokenLimits.DEFAULT;
        private Duration maxClockSkew = Duration.ofSeconds(30);

        public Builder trustRoots(Set<AgentId> roots) {
            Set<AgentId> copy = Set.copyOf(roots);
            this.trustedRoots = copy::contains;
            return this;
        }

        public Builder trustRoot(AgentId root) {
            return trustRoots(Set.of(root));
        }

        /** A live trust store (for example a registry that can change at runtime). */
        public Builder trustRoots(Predicate<AgentId> roots) {
            this.trustedRoots = Objects.requireNonNull(roots);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder maxDepth(int maxDepth) {
            if (maxDepth < 0 || maxDepth > 64) {
                throw new IllegalArgumentException("maxDepth must be 0..64");
            }
            this.maxDepth = maxDepth;
            return this;
        }

        public Builder revocation(RevocationCheck revocation) {
            this.revocation = Objects.requireNonNull(revocation);
            return this;
        }

        public Builder limits(TokenLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** How far in the future an issued-at may lie (default 30 s, at most 5 min). */
        public Builder maxClockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clock skew must be 0..5 minutes");
            }
            this.maxClockSkew = skew;
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
