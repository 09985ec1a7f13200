package dev.moat.token;

import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What an issuer wants to grant: subject, allowed and denied scopes, limits and lifetime. Turned
 * into signed claims by {@link TokenChain#issue} or {@link TokenChain#delegate}. Expiry is
 * required: there are no eternal tokens.
 */
public final class Grant {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentId subject;
    private final List<Scope> allow;
    private final List<Scope> deny;
    private final ResourceLimits limits;
    private final Instant issuedAt;
    private final Instant expiresAt;

    private Grant(Builder b) {
        this.subject = b.subject;
        this.allow = List.copyOf(b.allow);
        this.deny = List.copyOf(b.deny);
        this.limits = b.limits;
        this.issuedAt = b.issuedAt;
        this.expiresAt = b.expiresAt;
    }

    /** Starts a grant to {@code subject}. */
    public static Builder to(AgentId subject) {
        return new Builder(subject);
    }

    public AgentId subject() {
        return subject;
    }

    /** When the capability is issued (the builder's clock at {@code build()} unless set). */
    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    CapabilityToken toRootClaims(AgentKeypair issuer) {
        ResourceLimits l = limits == null ? ResourceLimits.UNLIMITED_COMPUTE_NO_IO : limits;
        return new CapabilityToken(newId(), issuer.id(), issuer.publicKey(), subject, null, 0,
                allow, deny, l, issuedAt, expiresAt);
    }

    CapabilityToken toChildClaims(AgentKeypair holder, CapabilityToken parent) {
        LinkedHashSet<Scope> denials = new LinkedHashSet<>(parent.denied());
        denials.addAll(deny);
        ResourceLimits l = limits == null ? parent.limits() : limits;
        return new CapabilityToken(newId(), holder.id(), holder.publicKey(), subject, parent.id(),
                parent.depth() + 1, allow, new ArrayList<>(denials), l, issuedAt, expiresAt);
    }

    private static String newId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return Base64Url.encode(id);
    }

    /** Builder for {@link Grant}. */
    public static final class Builder {
        private final AgentId subject;
        private final List<Scope> allow = new ArrayList<>();
        private final List<Scope> deny = new ArrayList<>();
        private ResourceLimits limits;
        private Clock clock = Clock.systemUTC();
        private Instant issuedAt;
        private Instant expiresAt;
        private Duration lifetime;

        private Builder(AgentId subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
        }

        /** Grants {@code actions} on resources matching {@code pattern}. */
        public Builder allow(String pattern, String... actions) {
            allow.add(Scope.of(pattern, actions));
            return this;
        }

        public Builder allow(Scope scope) {
            allow.add(Objects.requireNonNull(scope));
            return this;
        }

        /** Denies {@code actions} on resources matching {@code pattern}; denials win. */
        public Builder deny(String pattern, String... actions) {
            deny.add(Scope.of(pattern, actions));
            return this;
        }

        public Builder deny(Scope scope) {
            deny.add(Objects.requireNonNull(scope));
            return this;
        }

        /** Limits; when delegating, leaving this unset inherits the parent's limits. */
        public Builder limits(ResourceLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The clock for issued-at (and for {@link #validFor}); defaults to UTC system time. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder issuedAt(Instant t) {
            this.issuedAt = t;
            return this;
        }

        public Builder expiresAt(Instant t) {
            this.expiresAt = t;
            this.lifetime = null;
            return this;
        }

        public Builder validFor(Duration d) {
            this.lifetime = d;
            this.expiresAt = null;
            return this;
        }

        public Grant build() {
            if (allow.isEmpty()) {
                throw new IllegalArgumentException("a grant needs at least one allowed scope");
            }
            if (issuedAt == null) {
                issuedAt = clock.instant();
            }
            if (expiresAt == null) {
                if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
                    throw new IllegalArgumentException("a grant needs a positive lifetime or an expiry");
                }
                expiresAt = issuedAt.plus(lifetime);
            }
            return new Grant(this);
        }
    }
}
