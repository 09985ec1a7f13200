package dev.moat.token;

import dev.moat.identity.AgentId;

/**
 * Consulted by {@link TokenVerifier} at every link: a revoked issuer, subject or token id makes
 * the whole chain invalid. Implementations must be thread-safe and fast (called per link).
 */
public interface RevocationCheck {
    /** Nothing is revoked. */
    RevocationCheck NONE = new RevocationCheck() {
        @Override
        public boolean isAgentRevoked(AgentId agent) {
            return false;
        }

        @Override
        public boolean isTokenRevoked(String tokenId) {
            return false;
        }
    };

    boolean isAgentRevoked(AgentId agent);

    boolean isTokenRevoked(String tokenId);

    /** A counter that changes whenever anything is revoked, so caches can invalidate. */
    default long generation() {
        return 0;
    }

    /**
     * Why this source cannot currently answer (for example its database is unreachable), or
     * {@code null} when it is in force. While non-null the source counts everything as revoked
     * (fail closed); the policy enforcement point denies with this reason.
     */
    default String unavailable() {
        return null;
    }
}
