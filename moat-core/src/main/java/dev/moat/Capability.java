package dev.moat;

import dev.moat.identity.AgentId;
import dev.moat.token.CapabilityToken;
import dev.moat.token.TokenChain;
import java.time.Instant;
import java.util.Objects;

/**
 * A capability held by an agent of this runtime: the chain it signs calls with, its subject and
 * when it expires. Returned by {@link Capabilities}; the chain is immutable, so a handle never
 * changes, and a renewal produces a new handle.
 *
 * @param agent the holding agent's name
 * @param chain the token chain, root first
 * @param user  the end user it is scoped to, or {@code null}
 */
public record Capability(String agent, TokenChain chain, String user) {
    public Capability {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(chain, "chain");
    }

    /** Not scoped to a user. */
    public Capability(String agent, TokenChain chain) {
        this(agent, chain, null);
    }

    /** The leaf's claims (decoded once; the chain was built or verified here). */
    public CapabilityToken leaf() {
        return chain.leafClaims().orThrow();
    }

    public AgentId subject() {
        return leaf().subject();
    }

    public Instant expiresAt() {
        return leaf().expiresAt();
    }

    @Override
    public String toString() {
        return "Capability[" + agent + (user == null ? "" : ", per user") + ", links=" + chain.size() + ", expires " + expiresAt() + "]";
    }
}
